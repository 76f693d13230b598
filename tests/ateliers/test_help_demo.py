import pytest

from ateliers.models import HelpRequest
from ateliers.selectors.matching import organization_needs
from demo.seed import ORG_NEEDS, seed_demo


@pytest.mark.django_db
def test_demo_has_help_requests_in_every_status_and_is_idempotent():
    event = seed_demo()
    seed_demo()
    assert HelpRequest.objects.count() == len(ORG_NEEDS) + 2
    assert set(HelpRequest.objects.values_list("status", flat=True)) == {
        "open",
        "claimed",
        "resolved",
    }
    needs = organization_needs(event)
    assert len(needs) == len(ORG_NEEDS)
    names = {r.organization_id: r.organization.name for r in HelpRequest.objects.all()}
    assert {names[pk]: set(n) for pk, n in needs.items()} == {
        name: set(slugs) for name, slugs in ORG_NEEDS.items()
    }
