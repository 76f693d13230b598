"""The shared scoring rule on hand-made cases whose order is obvious."""

from __future__ import annotations

import pytest
from django.utils import translation

from ateliers.choices import HelpStatus, RegistrationRole
from ateliers.matching import fit, score_expert_for_request, urgency_weight
from ateliers.models import Registration
from ateliers.selectors.matching import organization_needs, suggest_experts, suggest_requests
from tests import factories
from tests.helpers import assert_queries


def test_fit_sums_the_weights_of_covered_needs():
    assert fit({"crm": 3, "wordpress": 1, "privacy": 2}, {"crm", "privacy", "cloud"}) == 5
    assert fit({"crm": 3}, set()) == 0
    assert fit({}, {"crm"}) == 0


def test_urgency_weights():
    assert [urgency_weight(u) for u in ("low", "normal", "high")] == [1, 2, 3]


def _score(**kw):
    base = {"skills": ["accessibility", "wordpress"], "urgency": "normal", "language": "fr"}
    base.update(kw)
    return score_expert_for_request(**base)


def test_language_is_a_hard_filter():
    assert _score(expert_skills={"accessibility"}, expert_languages=["en"]) is None


def test_more_coverage_ranks_higher_and_load_lowers_the_score():
    both = _score(expert_skills={"accessibility", "wordpress"}, expert_languages=["fr"])
    one = _score(expert_skills={"accessibility"}, expert_languages=["fr"])
    none = _score(expert_skills={"crm"}, expert_languages=["fr"])
    busy = _score(
        expert_skills={"accessibility", "wordpress"}, expert_languages=["fr"], open_claims=2
    )
    assert both.score > busy.score > one.score > none.score
    assert both.fit == 4 and one.fit == 2 and none.fit == 0
    assert both.covered == ["accessibility", "wordpress"]


def test_registration_and_availability_add_points():
    plain = _score(expert_skills={"accessibility"}, expert_languages=["fr"])
    registered = _score(
        expert_skills={"accessibility"}, expert_languages=["fr"], registered=True, available=False
    )
    available = _score(
        expert_skills={"accessibility"}, expert_languages=["fr"], registered=True, available=True
    )
    assert available.score > registered.score > plain.score


def test_reasons_are_readable_and_translated():
    with translation.override("en"):
        match = _score(
            expert_skills={"accessibility", "wordpress"},
            expert_languages=["fr", "en"],
            open_claims=1,
            skill_names={"accessibility": "accessibility", "wordpress": "WordPress"},
        )
    assert match.reasons == ["speaks French", "covers accessibility and WordPress", "1 open claim"]


@pytest.mark.django_db
def test_organization_needs_uses_open_requests_of_the_event_only():
    event = factories.make_event()
    org = factories.make_org()
    other = factories.make_org()
    factories.make_help_request(org, skills=["crm", "wordpress"], urgency="low", event=event)
    factories.make_help_request(org, skills=["crm"], urgency="high", event=event)
    factories.make_help_request(other, skills=["privacy"], urgency="normal", event=event)
    factories.make_help_request(other, skills=["cloud"], urgency="high")  # no event
    claimed = factories.make_help_request(other, skills=["security"], event=event)
    expert = factories.make_expert()
    type(claimed).objects.filter(pk=claimed.pk).update(status=HelpStatus.CLAIMED, claimed_by=expert)
    assert organization_needs(event) == {
        org.pk: {"crm": 3, "wordpress": 1},
        other.pk: {"privacy": 2},
    }


@pytest.mark.django_db
def test_suggest_experts_ranks_obvious_cases():
    event = factories.make_event()
    req = factories.make_help_request(skills=["accessibility", "wordpress"], event=event)
    best = factories.make_expert("best", skills=["accessibility", "wordpress"])
    Registration.objects.create(event=event, role=RegistrationRole.EXPERT, user=best)
    good = factories.make_expert("good", skills=["accessibility", "wordpress"])
    half = factories.make_expert("half", skills=["wordpress"])
    factories.make_expert("english", skills=["accessibility"], languages=["en"])
    factories.make_expert("unrelated", skills=["crm"])
    busy = factories.make_expert("busy", skills=["accessibility", "wordpress"])
    for _ in range(3):
        held = factories.make_help_request(skills=["crm"])
        type(held).objects.filter(pk=held.pk).update(status=HelpStatus.CLAIMED, claimed_by=busy)
    with assert_queries("selector suggest_experts", at_most=True):
        ranked = suggest_experts(req)
    assert [s.expert.user.username for s in ranked] == ["best", "good", "busy", "half"]
    assert ranked[2].match.reasons[-1].startswith("3")
    assert good.pk and half.pk


@pytest.mark.django_db
def test_suggest_requests_for_an_expert():
    expert = factories.make_expert("x", skills=["crm", "privacy"], languages=["fr"])
    urgent = factories.make_help_request(skills=["crm"], urgency="high")
    both = factories.make_help_request(skills=["crm", "privacy"], urgency="normal")
    low = factories.make_help_request(skills=["privacy"], urgency="low")
    factories.make_help_request(skills=["crm"], language="en")
    factories.make_help_request(skills=["cloud"])
    ranked = suggest_requests(expert.expert_profile)
    assert [s.request.pk for s in ranked] == [both.pk, urgent.pk, low.pk]
