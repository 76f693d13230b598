"""Demo projects for the Tech Works event, made and moved along through ``projets.services``."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ateliers.models import Idea, Organization, User
from ateliers.services import people
from projets import services
from projets.choices import ProjectRole
from projets.models import Project

DEMO_PARTNER_ORG = "Fondation pour l’inclusion numérique (démo)"


def seed_projects(*, event, organizer, orgs, skills, experts) -> None:
    """Three projects in different phases, with partners, milestones, indicators, a story.

    Idempotent: nothing is added when the event already has projects.
    """
    if Project.objects.filter(event=event).exists():
        return
    partner = User.objects.filter(username="partenaire").first()
    foundation = Organization.objects.filter(name=DEMO_PARTNER_ORG).first()
    if foundation is None:
        # Its creator becomes its first administrator: the organizer makes it, adds the
        # partner as a plain member, and leaves.
        foundation = people.organization_create(
            creator=organizer,
            name=DEMO_PARTNER_ORG,
            description="Fondation qui finance des projets de littératie numérique.",
            languages=["fr", "en"],
            region="Montréal",
        )
        if partner is not None:
            people.organization_add_member(actor=organizer, organization=foundation, user=partner)
        people.organization_remove_member(actor=organizer, organization=foundation, user=organizer)
    today = timezone.localdate()
    by_name = {e.username: e for e in experts}
    themes = {t.name_fr: t for t in event.themes.all()}

    def ideas(*starts: str) -> list:
        """Board ideas of the demo (when the board's hook ran) that became these projects."""
        found = Idea.objects.filter(event=event)
        return [i for i in found if any(i.text.startswith(start) for start in starts)]

    training = services.project_create(
        actor=organizer,
        title_fr="Littératie numérique pour 50 000 personnes",
        title_en="Digital literacy for 50,000 people",
        summary_fr="Former les personnes aînées et nouvelles arrivantes aux outils numériques "
        "essentiels, avec les organismes du quartier.",
        summary_en="Train seniors and newcomers in essential digital tools, with local "
        "community organisations.",
        visibility="public",
        event=event,
        partners=[foundation],
        organizations=[orgs["Accueil aux immigrants de l'Est"], orgs["Communautique"]],
        team=[(by_name["marie"], ProjectRole.LEAD), (by_name["luis"], ProjectRole.EXPERT)],
        note="Issu des idées du mur « Compétences numériques ».",
        source_ideas=ideas("Un « café numérique »", "Mentorat"),
        theme=themes.get("Compétences numériques"),
    )
    services.project_advance_phase(
        actor=organizer, project=training, phase="co_creation", note="Ateliers de co-design."
    )
    services.project_advance_phase(
        actor=organizer,
        project=training,
        phase="experimentation",
        note="Pilote dans trois bibliothèques.",
    )
    services.milestone_create(
        actor=organizer,
        project=training,
        title="Trousse de formation",
        due_on=today - timedelta(days=40),
        done_on=today - timedelta(days=45),
    )
    services.milestone_create(
        actor=organizer,
        project=training,
        title="100 formatrices et formateurs bénévoles",
        due_on=today - timedelta(days=5),
    )
    services.milestone_create(
        actor=organizer, project=training, title="Bilan du pilote", due_on=today + timedelta(60)
    )
    trained = services.indicator_create(
        actor=organizer,
        project=training,
        name="Personnes formées",
        unit="personnes",
        target=Decimal(50000),
        baseline=Decimal(0),
    )
    for days, value in [(120, 1200), (90, 4800), (60, 9100), (30, 15400), (0, 21750)]:
        services.indicator_record_value(
            actor=organizer,
            indicator=trained,
            value=Decimal(value),
            measured_on=today - timedelta(days=days),
        )
    libraries = services.indicator_create(
        actor=organizer,
        project=training,
        name="Bibliothèques partenaires",
        unit="lieux",
        target=Decimal(3),
    )
    services.indicator_record_value(actor=organizer, indicator=libraries, value=Decimal(4))
    services.project_post_update(
        actor=organizer,
        project=training,
        text="Le pilote dépasse ses objectifs de lieux : une quatrième bibliothèque s'est jointe.",
    )

    crm = services.project_create(
        actor=organizer,
        title_fr="Un CRM libre partagé pour les banques alimentaires",
        title_en="A shared free CRM for food banks",
        summary_fr="Remplacer les tableurs de bénévoles par un outil libre et respectueux "
        "de la vie privée.",
        summary_en="Replace volunteer spreadsheets with a free, privacy-respecting tool.",
        visibility="partners",
        event=event,
        partners=[foundation],
        organizations=[orgs["Banque alimentaire Rosemont"], orgs["NDG Food Depot"]],
        team=[(by_name["karim"], ProjectRole.LEAD), (by_name["david"], ProjectRole.EXPERT)],
        source_ideas=ideas("A shared, privacy-friendly", "Remplacer nos tableurs"),
        theme=themes.get("Données et vie privée"),
    )
    services.project_advance_phase(
        actor=organizer, project=crm, phase="co_creation", note="Choix de CiviCRM."
    )
    services.milestone_create(
        actor=organizer, project=crm, title="Migration des données", due_on=today + timedelta(30)
    )
    volunteers = services.indicator_create(
        actor=organizer,
        project=crm,
        name="Bénévoles inscrits dans l'outil",
        unit="bénévoles",
        target=Decimal(800),
        baseline=Decimal(120),
    )
    services.indicator_record_value(actor=organizer, indicator=volunteers, value=Decimal(310))

    site = services.project_create(
        actor=organizer,
        title_fr="Un site accessible pour le Centre des femmes",
        title_en="An accessible website for the women's centre",
        summary_fr="Refonte du site selon les WCAG 2.1 AA, testée avec des lectrices d'écran.",
        summary_en="Website redesign to WCAG 2.1 AA, tested with screen-reader users.",
        visibility="public",
        event=event,
        organizations=[orgs["Centre des femmes de Verdun"]],
        team=[(by_name["amelie"], ProjectRole.LEAD)],
        source_ideas=ideas("Un gabarit WordPress accessible", "Tester nos sites"),
        theme=themes.get("Accessibilité et inclusion"),
    )
    for phase in ("co_creation", "experimentation", "evaluation", "deployment"):
        services.project_advance_phase(actor=organizer, project=site, phase=phase)
    audit = services.indicator_create(
        actor=organizer,
        project=site,
        name="Pages conformes WCAG 2.1 AA",
        unit="%",
        target=Decimal(100),
        baseline=Decimal(20),
    )
    services.indicator_record_value(actor=organizer, indicator=audit, value=Decimal(100))
    services.story_save(
        actor=organizer,
        project=site,
        publish=True,
        title_fr="Rendre un site accessible en trois mois",
        title_en="Making a website accessible in three months",
        narrative_fr="Le Centre des femmes de Verdun a refait son site avec une experte en "
        "accessibilité rencontrée à Tech Works.",
        narrative_en="The Verdun women's centre rebuilt its website with an accessibility "
        "expert met at Tech Works.",
        worked_fr="Tester avec des utilisatrices de lecteurs d'écran dès la maquette.",
        worked_en="Testing with screen-reader users from the first mock-up.",
        did_not_work_fr="Le thème WordPress d'origine : il a fallu en changer.",
        did_not_work_en="The original WordPress theme: it had to be replaced.",
        lessons_fr="Prévoir du temps pour former l'équipe à rédiger des contenus accessibles.",
        lessons_en="Plan time to train the team to write accessible content.",
    )
