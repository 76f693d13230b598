"""Demo data of the live board: a dozen ideas with votes and comments (idempotent)."""

from __future__ import annotations

import uuid

from ateliers.models import Event, Idea, Participant
from ateliers.services import board as svc

# (author, theme position, text, voters, comments)
IDEAS = [
    (
        "Nadia",
        0,
        "Un gabarit WordPress accessible que tous les organismes pourraient réutiliser.",
        ["Luc", "Marie", "Sam", "Ana"],
        [("Luc", "Oui, avec un guide en français simple.")],
    ),
    (
        "Luc",
        0,
        "Tester nos sites avec des personnes qui utilisent un lecteur d'écran.",
        ["Nadia", "Ana"],
        [],
    ),
    (
        "Sam",
        1,
        "A shared, privacy-friendly volunteer database for food banks.",
        ["Marie", "Ana", "Nadia"],
        [("Ana", "We could start from an open-source CRM.")],
    ),
    (
        "Marie",
        1,
        "Remplacer nos tableurs de bénévoles par un outil libre hébergé au Québec.",
        ["Sam"],
        [],
    ),
    (
        "Ana",
        2,
        "Un « café numérique » mensuel pour dépanner les organismes du quartier.",
        ["Luc", "Nadia", "Marie", "Sam", "Omar"],
        [("Omar", "La bibliothèque prêterait la salle.")],
    ),
    (
        "Omar",
        2,
        "Refurbished laptops for youth centres, with free software preinstalled.",
        ["Ana", "Sam"],
        [],
    ),
    (
        "Nadia",
        3,
        "Une politique de confidentialité modèle, relue par une juriste bénévole.",
        ["Omar", "Marie"],
        [("Marie", "Indispensable avec la Loi 25.")],
    ),
    ("Luc", 3, "Two-factor authentication training for board members.", ["Sam"], []),
    ("Sam", 0, "Des sous-titres automatiques relus pour nos vidéos.", ["Nadia"], []),
    (
        "Marie",
        1,
        "Un tableau de bord simple pour suivre nos indicateurs d'impact.",
        ["Ana", "Luc", "Omar"],
        [],
    ),
    (
        "Omar",
        2,
        "Mentorat : un expert numérique jumelé à chaque petit organisme pour un an.",
        ["Nadia", "Luc", "Marie"],
        [("Nadia", "Avec un suivi tous les trois mois ?")],
    ),
    (
        "Ana",
        None,
        "Offline-first forms for field workers with poor mobile coverage.",
        ["Sam", "Omar"],
        [],
    ),
]
NAMESPACE = uuid.UUID("6d1f3f2e-6c57-4c8e-9a63-1f5b3c1e2a10")


def seed_board(*, event: Event, organizer, **_ignored) -> None:
    """Post through the services, so the demo board has a real log with seqs."""
    if event.board_locked:
        return
    people: dict[str, Participant] = {}

    def person(name: str) -> Participant:
        if name not in people:
            people[name] = Participant.objects.filter(
                event=event, display_name=name, user=None
            ).first() or svc.participant_join(code=event.join_code, display_name=name)
        return people[name]

    themes = list(event.themes.order_by("position", "id"))
    for index, (author, theme_pos, text, voters, comments) in enumerate(IDEAS):
        theme = themes[theme_pos] if theme_pos is not None and theme_pos < len(themes) else None
        idea, _created = svc.idea_post(
            participant=person(author),
            text=text,
            theme=theme,
            client_id=uuid.uuid5(NAMESPACE, f"idea-{index}"),
        )
        for voter in voters:
            svc.vote_set(participant=person(voter), idea=idea, value=1)
        for number, (who, comment) in enumerate(comments):
            svc.comment_post(
                participant=person(who),
                idea=idea,
                text=comment,
                client_id=uuid.uuid5(NAMESPACE, f"comment-{index}-{number}"),
            )
    svc.votes_flush(event_id=event.pk)
    top = Idea.objects.filter(event=event).order_by("-votes", "id").first()
    if top is not None and not top.pinned:
        svc.idea_moderate(actor=organizer, idea=top, action="pin")
