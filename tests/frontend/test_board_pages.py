"""The board without JavaScript: join, post, vote, refresh — plain pages and forms."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from ateliers.models import Idea
from tests import factories


@pytest.fixture
def joined(db, event):
    client = Client()
    response = client.post("/join/", {"code": event.join_code, "display_name": "Zoé"})
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}/board/"
    return client


def test_join_page_prefills_code(db, event):
    page = Client().get(f"/join/?code={event.join_code}").content.decode()
    assert f'value="{event.join_code}"' in page


def test_bad_code_shows_the_form_again_with_a_message(db):
    response = Client().post("/join/?lang=en", {"code": "ZZZZZZ", "display_name": "Zoé"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_code"' in html and 'aria-invalid="true"' in html
    assert "No open event has this code." in html
    assert 'value="Zoé"' in html  # what was typed is kept


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_board_page_renders_for_a_visitor(db, event, lang):
    factories.post_idea(factories.make_participant(event), "Des rampes")
    page = Client().get(f"/events/{event.pk}/board/?lang={lang}")
    assert page.status_code == 200
    assert "Des rampes" in page.content.decode()
    assert f"/join/?code={event.join_code}" in page.content.decode()


def test_post_without_javascript_is_idempotent_and_escaped(joined, event):
    cid = str(uuid.uuid4())
    text = "<script>alert('x')</script>"
    for _ in range(2):  # the browser re-submits the same form
        response = joined.post(
            f"/events/{event.pk}/board/post/", {"text": text, "client_id": cid}, follow=True
        )
    assert Idea.objects.filter(event=event).count() == 1
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_vote_and_withdraw_without_javascript(joined, event):
    idea = factories.post_idea(factories.make_participant(event), "Une idée")
    vote_url = f"/events/{event.pk}/board/ideas/{idea.pk}/vote/"
    joined.post(vote_url, {"value": "1"})
    idea.refresh_from_db()
    assert idea.votes == 1
    page = joined.get(f"/events/{event.pk}/board/").content.decode()
    # The button says it is pressed, and the form now withdraws.
    card = page[page.index(f'id="idea-{idea.pk}"') :]
    assert 'aria-pressed="true"' in card[: card.index("</form>")]
    assert 'name="value" value="0"' in card[: card.index("</form>")]
    joined.post(vote_url, {"value": "0"})
    idea.refresh_from_db()
    assert idea.votes == 0


def test_comment_without_javascript(joined, event):
    idea = factories.post_idea(factories.make_participant(event), "Une idée")
    url = f"/events/{event.pk}/board/ideas/{idea.pk}/comment/"
    response = joined.post(url, {"text": "Bonne idée", "client_id": str(uuid.uuid4())})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.comment_count == 1
    assert "Bonne idée" in joined.get(f"/events/{event.pk}/board/").content.decode()


def test_writes_need_a_participant(db, event):
    response = Client().post(f"/events/{event.pk}/board/post/", {"text": "x"})
    assert response.status_code == 302 and "/join/" in response["Location"]
    assert not Idea.objects.exists()


def test_locked_board_refuses_posts_with_a_message(joined, event, organizer):
    from ateliers.services.board import board_set_locked

    board_set_locked(actor=organizer, event=event, locked=True)
    response = joined.post(f"/events/{event.pk}/board/post/", {"text": "x"}, follow=True)
    assert not Idea.objects.exists()
    assert response.status_code == 200


def test_bad_input_is_not_a_500(joined, event):
    response = joined.post(f"/events/{event.pk}/board/ideas/999999/vote/", {"value": "1"})
    assert response.status_code == 404
    response = joined.post(
        f"/events/{event.pk}/board/post/", {"text": "x", "theme": "abc", "client_id": "nope"}
    )
    assert response.status_code == 302


def test_a_big_board_stays_light_on_a_phone(joined, event):
    """500 ideas: the first load shows the top of each theme, compressed well under 60 KB
    with the stylesheet and script; every idea is one link away."""
    import gzip
    from pathlib import Path

    theme = event.themes.create(name_fr="Mobilité")
    author = factories.make_participant(event, "Foule")
    for n in range(500):
        factories.post_idea(author, f"Idée numéro {n} pour la mobilité du quartier", theme=theme)
    page = joined.get(f"/events/{event.pk}/board/")
    html = page.content
    static = Path(__file__).resolve().parents[2] / "frontend" / "static" / "frontend"
    assets = b"".join(
        (static / name).read_bytes() for name in ("css/site.css", "js/board.js", "js/polls.js")
    )
    assert len(gzip.compress(html)) + len(gzip.compress(assets)) < 60 * 1024
    text = html.decode()
    assert text.count('class="idea-text"') == 25 + 1  # the shown ideas + the <template>
    assert "475" in text  # "Show 475 more ideas"
    everything = joined.get(f"/events/{event.pk}/board/?all=1").content.decode()
    assert everything.count('class="idea-text"') == 500 + 1


def test_join_qr_code_is_a_standalone_svg_for_the_join_link(db, event):
    response = Client().get(f"/events/{event.pk}/join-qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg


def test_board_page_queries_do_not_grow_with_the_board(joined, event):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    author = factories.make_participant(event, "Foule")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert joined.get(f"/events/{event.pk}/board/").status_code == 200
        return len(ctx.captured_queries)

    for n in range(30):
        factories.post_idea(author, f"Idée {n}")
    small = count()
    for n in range(30, 90):
        factories.post_idea(author, f"Idée {n}")
    assert count() == small
