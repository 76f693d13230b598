"""Hot reads whose SQL the ORM writes once per process (``ateliers/selectors/
compiled.py``): the rows are the ORM's own for any number of keys, padded or not."""

from __future__ import annotations

import pytest
from django.db import connection

from ateliers.models import Participant
from ateliers.selectors import compiled
from tests import factories

pytestmark = pytest.mark.django_db


def _named(keys):
    return Participant.objects.filter(pk__in=keys, erased_at__isnull=True).order_by()


def test_the_rows_are_the_orms_for_every_count_of_keys():
    event = factories.make_event(created_by=factories.make_organizer())
    people = [factories.make_participant(event, f"P{i}") for i in range(40)]
    gone = people[3]
    gone.erased_at = gone.created_at
    gone.save()
    pks = [p.pk for p in people]
    for count in (1, 2, 3, 5, 16, 17, 40):
        keys = [*pks[:count], 10**9]  # and one that names nobody
        sql, params = compiled.compiled("test named", keys, _named)
        assert len(params) in compiled.SIZES  # padded to a compiled size
        expected = sorted(_named(keys).values_list("pk", flat=True))
        assert sorted(p.pk for p in Participant.objects.raw(sql, params)) == expected
        assert gone.pk not in expected  # erased


def test_compiled_once_per_vendor_and_size_and_bounded():
    compiled._compiled.clear()
    compiled.compiled("test named", [1, 2, 3], _named)
    compiled.compiled("test named", [4, 5, 6, 7], _named)  # the same size: 4
    compiled.compiled("test named", [1], _named)
    assert sorted(k for k in compiled._compiled if k[1] == "test named") == [
        (connection.vendor, "test named", 1),
        (connection.vendor, "test named", 4),
    ]
    for keys in ([], list(range(1, compiled.MAX_KEYS + 2))):
        with pytest.raises(ValueError):
            compiled.compiled("test named", keys, _named)
    assert [len(c) for c in compiled.chunks(list(range(600)))] == [256, 256, 88]


def test_a_query_that_uses_a_key_twice_is_refused():
    def twice(keys):
        return Participant.objects.filter(pk__in=keys).filter(event_id__in=keys)

    with pytest.raises(RuntimeError):
        compiled.compiled("test twice", [1], twice)
