"""Demo help requests for Tech Works (a hook of ``demo_hooks``)."""

from __future__ import annotations

from .demo import ORG_NEEDS
from .models import HelpRequest, HelpRequestTransition


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
    for name, title, urgency, needs, at_event in plan:
        org = orgs.get(name)
        if org is None:
            continue
        if HelpRequest.objects.filter(organization=org, title=title).exists():
            continue
        member = org.memberships.order_by("id").first()
        author = member.user if member else organizer
        language = "en" if org.languages[:1] == ["en"] else "fr"
        request = HelpRequest.objects.create(
            organization=org,
            event=at_event,
            title=title,
            description=org.description,
            language=language,
            urgency=urgency,
            format="either",
            created_by=author,
        )
        request.skills.set([skills[slug] for slug in needs if slug in skills])
        HelpRequestTransition.objects.create(
            request=request, from_status="", to_status="open", actor=author
        )
        if title in progress and progress[title][0] in by_username:
            expert = by_username[progress[title][0]]
            previous = "open"
            for status in progress[title][1]:
                HelpRequestTransition.objects.create(
                    request=request, from_status=previous, to_status=status, actor=expert
                )
                previous = status
            HelpRequest.objects.filter(pk=request.pk).update(
                status=previous, claimed_by=expert, claimed_at=request.created_at
            )
