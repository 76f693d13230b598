"""Likely duplicates among a board's ideas, for moderators (French and English).

No model, no network: each idea becomes a bag of normalised terms — folded (case,
accents), singular, stop words out, a small bilingual glossary of the community-tech
field mapping French and English words to one term ("bénévoles" and "volunteers" →
``volunteer``), then stems cut to ``STEM`` characters — plus the character n-grams of
those terms (which catch spelling variants and the stems the glossary does not know).
Both are TF-IDF weighted; two ideas are a likely pair when the mean of their two cosine
similarities passes ``THRESHOLD``. Pairs join into groups (connected components).

Measured on ``bench/duplicates_set.json`` by ``bench/duplicates.py``; the precision
floor is a test (``tests/room/test_duplicates.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .textnorm import fold, singular

THRESHOLD = 0.5
STEM = 6
NGRAMS = (3, 4, 5)
CHUNK = 512  # rows per block of the similarity product: memory stays linear

_STOP = """
    a à au aux avec ce ces cet cette chaque comme dans de des du elle en entre et être
    faire faut il ils je la le les leur leurs lui ma mais me mes moi mon ne nos notre nous
    on ou où par pas plus pour qu que qui sa se ses son sur ta te tes ton tous tout toute
    toutes tu un une vos votre vous y ça plutôt afin ainsi aussi bien très trop peu
    sans sous vers chez il faudrait devrait pourrait avoir est sont
    the an and or of to in on at for with from by as is are be been it its our we us
    you your their they them this that these those so do does not no all any each
    every more most very too can could should would will shall must need needs have has
    into instead than about who which what how why when where there here
"""
# Listed as written and as ``terms`` sees them (singular first: "dans" → "dan").
STOPWORDS = frozenset(fold(w) for word in _STOP.split() for w in (word, singular(word)))

# A bilingual glossary of the field: French and English words for one thing → one term.
GLOSSARY = {
    "benevole": "volunteer",
    "don": "donation",
    "donner": "donation",
    "aine": "senior",
    "personnes agee": "senior",
    "formation": "training",
    "former": "training",
    "train": "training",
    "apprendre": "training",
    "teach": "training",
    "confidentialite": "privacy",
    "courriel": "email",
    "infolettre": "newsletter",
    "ordinateur": "computer",
    "portable": "laptop",
    "logiciel": "software",
    "outil": "tool",
    "gestionnaire": "manage",
    "gestion": "manage",
    "gerer": "manage",
    "manager": "manage",
    "management": "manage",
    "gratuit": "free",
    "gratuite": "free",
    "membre": "member",
    "donnee": "data",
    "renseignement": "information",
    "tableur": "spreadsheet",
    "formulaire": "form",
    "cellulaire": "phone",
    "telephone": "phone",
    "telephonique": "phone",
    "mobile": "phone",
    "tablette": "tablet",
    "atelier": "workshop",
    "organisme": "nonprofit",
    "organisation": "nonprofit",
    "sauvegarde": "backup",
    "sauvegarder": "backup",
    "nuage": "cloud",
    "equipe": "team",
    "employe": "staff",
    "arnaque": "scam",
    "fraude": "scam",
    "recu": "receipt",
    "impot": "tax",
    "fiscal": "tax",
    "cotisation": "fee",
    "subvention": "grant",
    "quartier": "neighbourhood",
    "calendrier": "calendar",
    "horaire": "schedule",
    "planifier": "schedule",
    "partage": "share",
    "partager": "share",
    "mutualiser": "share",
    "numeriser": "digitise",
    "papier": "paper",
    "aveugle": "blind",
    "voyant": "blind",
    "sourd": "deaf",
    "sous titre": "caption",
    "sous titrer": "caption",
    "enfant": "child",
    "parent": "parent",
    "famille": "family",
    "citoyen": "resident",
    "recruter": "recruit",
    "recrutement": "recruit",
    "payer": "pay",
    "paiement": "pay",
    "inscription": "registration",
    "inscrire": "registration",
    "reunion": "meeting",
    "visioconference": "videoconference",
    "video conferencing": "videoconference",
    "mesurer": "measure",
    "indicateur": "indicator",
    "repertoire": "directory",
    "ressource": "resource",
    "heberger": "host",
    "hebergee": "host",
    "economiser": "save",
    "cout": "cost",
    "aide": "help",
    "aider": "help",
    "soutien": "help",
    "accompagner": "help",
    "nouveaux arrivant": "newcomer",
    "nouvel arrivant": "newcomer",
    "newcomer": "newcomer",
    "site web": "website",
    "site internet": "website",
    "web site": "website",
    "mot de passe": "password",
    "reseaux sociaux": "socialmedia",
    "reseau sociaux": "socialmedia",
    "reseau social": "socialmedia",
    "social media": "socialmedia",
    "vie privee": "privacy",
    "donnee personnelle": "personaldata",
    "renseignement personnel": "personaldata",
    "personal information": "personaldata",
    "personal data": "personaldata",
    "deux facteur": "twofactor",
    "two factor": "twofactor",
    "logiciel libre": "opensource",
    "open source": "opensource",
    "en ligne": "online",
    "aide alimentaire": "foodbank",
    "food bank": "foodbank",
    "question frequente": "faq",
    "frequently asked question": "faq",
    "robot conversationnel": "chatbot",
    "vieux": "old",
    "vieil": "old",
    "usage": "used",
    "lent": "slow",
    "local communautaire": "communitycentre",
    "centre communautaire": "communitycentre",
    "community centre": "communitycentre",
    "community center": "communitycentre",
    "salle": "hall",
    "reserver": "book",
    "reservation": "book",
    "mensuel": "monthly",
    "chaque moi": "monthly",
    "anglais": "english",
    "anglaise": "english",
    "traduire": "translate",
    "version": "translate",
    "entreprise": "company",
    "recycler": "collect",
    "recuperer": "collect",
    "technicien": "technician",
    "informatique": "it",
    "computer help": "it help",
    "securite": "safety",
    "safe": "safety",
    "creer": "create",
    "ouvrir": "create",
    "rediger": "write",
    "ecrire": "write",
    "impact": "impact",
    "programme": "programme",
    "program": "programme",
}

_PHRASES = sorted((k for k in GLOSSARY if " " in k), key=len, reverse=True)
_PHRASE = re.compile(r"\b(" + "|".join(re.escape(p) for p in _PHRASES) + r")\b")
_WORD = re.compile(r"[^\W_]+")


def terms(text: str) -> list[str]:
    """The normalised terms of an idea (see the module's docstring)."""
    words = [singular(w) for w in _WORD.findall(str(text).lower())]
    folded = " ".join(fold(w) for w in words)
    folded = _PHRASE.sub(lambda m: GLOSSARY[m.group(1)].replace(" ", "_"), folded)
    out = []
    for word in folded.split():
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        word = GLOSSARY.get(word, word)
        for part in word.replace("_", " ").split():
            out.append(part[:STEM])
    return out


def _tfidf(docs: list[list[str]]) -> sparse.csr_matrix:
    """Rows of L2-normalised TF-IDF (smoothed idf, sublinear tf)."""
    vocabulary: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, doc in enumerate(docs):
        counts: dict[int, int] = {}
        for term in doc:
            j = vocabulary.setdefault(term, len(vocabulary))
            counts[j] = counts.get(j, 0) + 1
        rows.extend([i] * len(counts))
        cols.extend(counts)
        vals.extend(1.0 + np.log(list(counts.values())))
    shape = (len(docs), max(len(vocabulary), 1))
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float64)
    df = np.bincount(matrix.indices, minlength=shape[1])
    idf = np.log((1 + shape[0]) / (1 + df)) + 1.0
    matrix = matrix @ sparse.diags(idf)
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def _ngrams(doc: list[str]) -> list[str]:
    grams = []
    for term in doc:
        padded = f" {term} "
        for n in NGRAMS:
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


@dataclass(frozen=True)
class Pair:
    a: int
    b: int
    score: float


def similar_pairs(ideas: Sequence[tuple[int, str]], *, threshold: float = THRESHOLD) -> list[Pair]:
    """Pairs of ideas ``(id, text)`` whose similarity passes ``threshold``, best first."""
    if len(ideas) < 2:
        return []
    ids = [pk for pk, _text in ideas]
    docs = [terms(text) for _pk, text in ideas]
    words = _tfidf(docs)
    chars = _tfidf([_ngrams(doc) for doc in docs])
    found: list[Pair] = []
    for start in range(0, len(ideas), CHUNK):
        stop = min(start + CHUNK, len(ideas))
        score = ((words[start:stop] @ words.T) + (chars[start:stop] @ chars.T)) * 0.5
        score = sparse.triu(score.tocoo(), k=start + 1)  # each pair once, never i with i
        keep = score.data >= threshold
        for i, j, value in zip(score.row[keep], score.col[keep], score.data[keep], strict=True):
            found.append(Pair(ids[start + i], ids[j], round(float(value), 3)))
    found.sort(key=lambda p: (-p.score, p.a, p.b))
    return found


def groups(pairs: Iterable[Pair]) -> list[list[int]]:
    """Connected components of the pairs (ids sorted), largest first."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        parent[find(pair.a)] = find(pair.b)
    members: dict[int, list[int]] = {}
    for x in list(parent):
        members.setdefault(find(x), []).append(x)
    return sorted((sorted(m) for m in members.values()), key=lambda g: (-len(g), g[0]))


# --- a board's suggestions ------------------------------------------------------------------

SHOWN_GROUPS = 20
CACHE_SECONDS = 600


def _suggested(event_id: int, seq: int) -> list[dict]:
    """``[{"ids": [...], "score": best}]`` for the board at ``seq`` (cached per seq: the
    moderators' pages and their refreshes share one computation per change)."""
    from django.core.cache import cache

    from .choices import IdeaStatus
    from .models import Idea

    key = f"livinglab:duplicates:{event_id}:{seq}:{THRESHOLD}"
    found = cache.get(key)
    if found is None:
        ideas = list(
            Idea.objects.filter(event_id=event_id, status=IdeaStatus.VISIBLE)
            .order_by("id")
            .values_list("id", "text")
        )
        pairs = similar_pairs(ideas)
        best: dict[int, float] = {}
        for pair in pairs:
            best[pair.a] = max(best.get(pair.a, 0.0), pair.score)
            best[pair.b] = max(best.get(pair.b, 0.0), pair.score)
        found = [{"ids": group, "score": max(best[i] for i in group)} for group in groups(pairs)]
        found.sort(key=lambda g: (-g["score"], g["ids"][0]))
        cache.set(key, found, CACHE_SECONDS)
    return found


def event_suggestions(event, *, limit: int = SHOWN_GROUPS) -> list[dict]:
    """Groups of likely duplicates on a board, best first: ``{"lead": idea, "others":
    [ideas], "score"}``; the lead (pinned, then most voted, then oldest) is the idea the
    others would be merged into."""
    from .models import Idea
    from .selectors.board import board_seq

    event_id = getattr(event, "pk", event)
    found = _suggested(event_id, board_seq(event_id))[:limit]
    wanted = {pk for group in found for pk in group["ids"]}
    ideas = Idea.objects.filter(pk__in=wanted, status="visible").select_related("author")
    by_pk = {idea.pk: idea for idea in ideas}
    result = []
    for group in found:
        members = [by_pk[pk] for pk in group["ids"] if pk in by_pk]
        if len(members) < 2:
            continue
        members.sort(key=lambda idea: (not idea.pinned, -idea.votes, idea.pk))
        result.append({"lead": members[0], "others": members[1:], "score": group["score"]})
    return result
