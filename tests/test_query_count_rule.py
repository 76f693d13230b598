"""Issue 15: one query-count mechanism. Tests pin a number of queries only with
``tests.helpers.assert_queries`` (the figures in ``tests/api/query_counts.json``, an update
mode, the SQL printed on failure): pytest-django's query-count fixtures, Django's query
capture context and ``TestCase``'s count assertion appear nowhere else in ``tests/``
(``helpers.capture_queries`` is there for queries to check later)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from tests import helpers

TESTS = Path(__file__).resolve().parent
HOME = TESTS / "helpers.py"
# written in pieces, so that this file does not match itself
OTHER_MECHANISMS = re.compile(
    "django_assert_" + r"(max_)?num_queries|Capture" + "QueriesContext|assert" + "NumQueries"
)


def uses_outside_helpers() -> list[str]:
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        if path == HOME:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OTHER_MECHANISMS.search(line):
                found.append(f"{path.relative_to(TESTS.parent)}:{number}: {line.strip()}")
    return found


def test_queries_are_counted_only_through_assert_queries():
    assert uses_outside_helpers() == []


def test_the_rule_sees_each_other_mechanism():
    for name in (
        "django_assert_" + "num_queries",
        "django_assert_" + "max_num_queries",
        "Capture" + "QueriesContext",
        "self.assert" + "NumQueries(3)",
    ):
        assert OTHER_MECHANISMS.search(f"    with {name}(3):"), name
    assert OTHER_MECHANISMS.search(HOME.read_text(encoding="utf-8"))  # helpers.py may
    assert not OTHER_MECHANISMS.search("with assert_queries('service idea_post'):")


@pytest.fixture
def table(tmp_path, monkeypatch):
    """A query_counts.json of its own, so the checks below never touch the real one."""
    path = tmp_path / "query_counts.json"
    path.write_text(json.dumps({"exact": {"queries": 1}, "ceiling": {"at_most": 2}}))
    monkeypatch.setattr(helpers, "QUERY_COUNTS", path)
    monkeypatch.setattr(helpers, "UPDATE_QUERY_COUNTS", False)
    return path


User = get_user_model()


def _two_queries() -> None:
    list(User.objects.filter(username="a"))
    list(User.objects.filter(username="b"))


@pytest.mark.django_db
def test_a_ceiling_holds_below_and_fails_above_with_the_sql(table):
    with helpers.assert_queries("ceiling", at_most=True):
        list(User.objects.all())  # 1 ≤ 2
    with helpers.assert_queries("ceiling", at_most=True):
        _two_queries()
    with (
        pytest.raises(pytest.fail.Exception) as failure,
        helpers.assert_queries("ceiling", at_most=True),
    ):
        _two_queries()
        list(User.objects.filter(username="c"))
    message = str(failure.value)
    assert "3 queries, at most 2 pinned" in message
    assert "1. SELECT" in message and "3. SELECT" in message and "'c'" in message
    with (
        pytest.raises(pytest.fail.Exception, match="2 queries, 1 pinned"),
        helpers.assert_queries("exact"),
    ):
        _two_queries()
    with (
        pytest.raises(pytest.fail.Exception, match="no pinned 'at_most' for 'exact'"),
        helpers.assert_queries("exact", at_most=True),
    ):
        pass


@pytest.mark.django_db
def test_the_update_mode_writes_counts_and_only_raises_a_ceiling(table, monkeypatch):
    monkeypatch.setattr(helpers, "UPDATE_QUERY_COUNTS", True)
    with helpers.assert_queries("exact"):
        _two_queries()
    with helpers.assert_queries("ceiling", at_most=True):
        pass  # 0: the ceiling stays 2
    with helpers.assert_queries("new ceiling", at_most=True):
        _two_queries()
    assert json.loads(table.read_text()) == {
        "exact": {"queries": 2},
        "ceiling": {"at_most": 2},
        "new ceiling": {"at_most": 2},
    }
    with (
        pytest.raises(pytest.fail.Exception, match="not constant"),
        helpers.assert_queries("exact"),
    ):
        pass  # the same name in one test: 2 the first time, 0 now
