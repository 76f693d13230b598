from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..choices import MembershipRole
from ..exceptions import Conflict, Forbidden
from ..models import ExpertProfile, Membership, Organization, Skill, User
from ..permissions import can_manage_organization, is_organizer
from .unset import UNSET, Unset, assign, given


@transaction.atomic
def skill_create(*, actor: User, slug: str, name_fr: str = "", name_en: str = "") -> Skill:
    if not is_organizer(actor):
        raise Forbidden(_("Only organizers can add skills."))
    skill = Skill(slug=slug, name_fr=name_fr, name_en=name_en)
    skill.full_clean()
    skill.save()
    return skill


def _skills_from_slugs(slugs: Iterable[str]) -> list[Skill]:
    slugs = list(dict.fromkeys(slugs))
    skills = list(Skill.objects.filter(slug__in=slugs))
    missing = set(slugs) - {s.slug for s in skills}
    if missing:
        raise ValidationError({"skills": _("Unknown skill: %s.") % ", ".join(sorted(missing))})
    return skills


@transaction.atomic
def organization_create(
    *,
    creator: User,
    name: str,
    description: str = "",
    languages: Iterable[str] = (),
    website: str = "",
    region: str = "",
) -> Organization:
    """Create an organisation; its creator becomes its first administrator."""
    org = Organization(
        name=name,
        description=description,
        languages=list(languages),
        website=website,
        region=region,
    )
    org.full_clean()
    org.save()
    Membership.objects.create(user=creator, organization=org, role=MembershipRole.ADMIN)
    return org


@transaction.atomic
def organization_update(
    *,
    actor: User,
    organization: Organization,
    name: str | Unset = UNSET,
    description: str | Unset = UNSET,
    languages: list[str] | Unset = UNSET,
    website: str | Unset = UNSET,
    region: str | Unset = UNSET,
) -> Organization:
    changes = given(locals(), "actor", "organization")
    if not can_manage_organization(actor, organization):
        raise Forbidden(_("Only the organisation's members or an organizer can edit it."))
    assign(organization, changes)
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def organization_add_member(
    *, actor: User, organization: Organization, user: User, role: str = MembershipRole.MEMBER
) -> Membership:
    if not can_manage_organization(actor, organization):
        raise Forbidden(_("Only the organisation's members or an organizer can add members."))
    membership = Membership(user=user, organization=organization, role=role)
    membership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise Conflict(_("This person is already a member."), code="already_member") from exc
    return membership


@transaction.atomic
def organization_remove_member(*, actor: User, organization: Organization, user: User) -> None:
    if not can_manage_organization(actor, organization):
        raise Forbidden(_("Only the organisation's members or an organizer can remove members."))
    Membership.objects.filter(organization=organization, user=user).delete()


@transaction.atomic
def expert_profile_create(
    *,
    user: User,
    skills: Iterable[str] = (),
    languages: Iterable[str] = (),
    bio: str = "",
    availability: str = "",
    organization: Organization | None = None,
) -> ExpertProfile:
    """The caller's own expert profile, made once and reused at every event."""
    if ExpertProfile.objects.filter(user=user).exists():
        raise Conflict(_("You already have an expert profile."), code="profile_exists")
    profile = ExpertProfile(
        user=user,
        languages=list(languages),
        bio=bio,
        availability=availability,
        organization=organization,
    )
    skill_objs = _skills_from_slugs(skills)
    profile.full_clean()
    profile.save()
    profile.skills.set(skill_objs)
    if not user.is_expert:
        user.is_expert = True
        user.save(update_fields=["is_expert"])
    return profile


@transaction.atomic
def expert_profile_update(
    *,
    actor: User,
    profile: ExpertProfile,
    skills: Iterable[str] | Unset = UNSET,
    languages: list[str] | Unset = UNSET,
    bio: str | Unset = UNSET,
    availability: str | Unset = UNSET,
    organization: Organization | None | Unset = UNSET,
) -> ExpertProfile:
    """Edit an expert's profile (``skills`` by slug): the expert or an organizer."""
    changes = given(locals(), "actor", "profile", "skills")
    if actor.pk != profile.user_id and not is_organizer(actor):
        raise Forbidden(_("You can only edit your own profile."))
    assign(profile, changes)
    profile.full_clean()
    profile.save()
    if skills is not UNSET:
        profile.skills.set(_skills_from_slugs(skills))
    return profile


@transaction.atomic
def skill_update(
    *,
    actor: User,
    skill: Skill,
    slug: str | Unset = UNSET,
    name_fr: str | Unset = UNSET,
    name_en: str | Unset = UNSET,
) -> Skill:
    changes = given(locals(), "actor", "skill")
    if not is_organizer(actor):
        raise Forbidden(_("Only organizers can change skills."))
    assign(skill, changes)
    skill.full_clean()
    skill.save()
    return skill


@transaction.atomic
def skill_delete(*, actor: User, skill: Skill) -> None:
    if not is_organizer(actor):
        raise Forbidden(_("Only organizers can delete skills."))
    skill.delete()


@transaction.atomic
def organization_delete(*, actor: User, organization: Organization) -> None:
    if not is_organizer(actor):
        raise Forbidden(_("Only organizers can delete an organisation."))
    organization.delete()
