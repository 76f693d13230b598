"""Demo help requests for Tech Works, asked, claimed and resolved through the services."""

from __future__ import annotations

from ateliers.models import HelpRequest, Notification
from ateliers.services import help as svc
from ateliers.services.notifications import notification_mark_read

from .data import ORG_NEEDS

STEPS = {
    "claimed": svc.help_request_claim,
    "in_progress": svc.help_request_start,
    "resolved": svc.help_request_resolve,
}


def seed_help_requests(*, event, organizer, orgs, skills, experts) -> None:
    """One open help request for the demo event per organisation with needs (``ORG_NEEDS``:
    they are the consultation schedule's needs), plus two requests outside the event, one
    claimed and one resolved with their history, so that every status shows."""
    titles = {
        "Centre des femmes de Verdun": ("Notre site web n'est pas accessible", "high"),
        "Banque alimentaire Rosemont": ("Nous perdons les données des bénévoles", "high"),
        "Coopérative d'habitation Le Rucher": ("Quel CRM libre pour nos membres ?", "normal"),
        "Maison des jeunes de Saint-Michel": ("Wi-Fi instable dans nos locaux", "normal"),
        "NDG Food Depot": ("A privacy policy and a volunteer database", "high"),
        "Literacy Quebec Network": ("Our e-learning platform fails accessibility", "normal"),
        "Accueil aux immigrants de l'Est": ("Ateliers numériques pour nouveaux arrivants", "low"),
        "Ressourcerie de Lachine": ("Analyser nos ventes et notre inventaire", "low"),
        "Collectif Vélo Solidaire": ("Sauvegarder nos comptes partagés", "normal"),
    }
    by_username = {user.username: user for user in experts}
    progress = {
        "Formulaire de dons en ligne": ("jean", ["claimed"]),
        "Mots de passe partagés": ("sophie", ["claimed", "in_progress", "resolved"]),
    }
    extra = [
        ("Centre des femmes de Verdun", "Formulaire de dons en ligne", "normal", ["wordpress"]),
        ("Collectif Vélo Solidaire", "Mots de passe partagés", "high", ["security"]),
    ]
    plan = [(name, *titles[name], needs, event) for name, needs in ORG_NEEDS.items()]
    plan += [(name, title, urgency, needs, None) for name, title, urgency, needs in extra]
    asked = []
    for name, title, urgency, needs, at_event in plan:
        org = orgs.get(name)
        if org is None:
            continue
        if HelpRequest.objects.filter(organization=org, title=title).exists():
            continue
        member = org.memberships.order_by("id").first()
        author = member.user if member else organizer
        language = "en" if org.languages[:1] == ["en"] else "fr"
        request = svc.help_request_create(
            actor=author,
            organization=org,
            event=at_event,
            title=title,
            description=org.description,
            skills=[slug for slug in needs if slug in skills],
            language=language,
            urgency=urgency,
            format="either",
        )
        asked.append(request)
        if title in progress and progress[title][0] in by_username:
            expert = by_username[progress[title][0]]
            for step in progress[title][1]:
                STEPS[step](actor=expert, help_request=request)
    # Everyone told about these requests (fitting experts, the organisations whose request
    # was claimed) has read it: the demo opens with no unread badge, as it always did.
    told = Notification.objects.filter(help_request__in=asked, read_at__isnull=True)
    for recipient in {n.recipient for n in told.select_related("recipient")}:
        notification_mark_read(
            user=recipient, ids=told.filter(recipient=recipient).values_list("pk", flat=True)
        )
