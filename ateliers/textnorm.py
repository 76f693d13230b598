"""Folding short French and English texts so that spelling variants meet.

Used by the word-cloud polls (``word_key``: "Bénévoles" and "benevole" count as one
word) and by the duplicate suggestions (``tokens``). No dictionary, no model: case,
accents, punctuation and the simple plural endings of both languages.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")
# Endings that look plural but are not ("access", "bus", "analysis", "accès", "progrès").
_NOT_PLURAL = ("ss", "us", "is", "ys", "ès")


def fold(text: str) -> str:
    """Lower case, no accents (é → e, ç → c), ligatures opened (œ → oe)."""
    text = unicodedata.normalize("NFKD", str(text).lower().replace("œ", "oe"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def singular(word: str) -> str:
    """A simple French/English singular of a lower-case word: "journaux" → "journal",
    "libraries" → "library", "bénévoles" → "bénévole"; short words, "-ss", "-us",
    "-is" and "-ès" stay as they are."""
    if len(word) <= 3:
        return word
    if word.endswith("aux") and len(word) > 4:
        return word[:-3] + "al"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("s", "x")) and not word.endswith(_NOT_PLURAL):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The words of ``text``, singular then folded; the elided "l'", "d'", "j'" go."""
    found = _WORD.findall(unicodedata.normalize("NFC", str(text).lower()))
    return [fold(singular(word)) for word in found if len(word) > 1 or word.isdigit()]


def word_key(text: str) -> str:
    """The key a word-cloud answer is counted under: folded, singular, spaces collapsed."""
    return " ".join(words(text))
