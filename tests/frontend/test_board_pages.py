"""The board without JavaScript: join, post, vote, refresh — plain pages and forms."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.test import Client

from ateliers.models import Idea
from ateliers.services import board
from tests import factories
from tests.helpers import assert_queries


@pytest.fixture
def joined(db, event):
    client = Client()
    response = client.post("/join/", {"code": event.join_code, "display_name": "Zoé"})
    # The answer is the board itself (no redirect round trip on a slow phone).
    assert response.status_code == 200 and f'data-base="/events/{event.pk}/board/"' in (
        response.content.decode()
    )
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
    import re
    from pathlib import Path

    theme = event.themes.create(name_fr="Mobilité")
    author = factories.make_participant(event, "Foule")
    for n in range(500):
        factories.post_idea(author, f"Idée numéro {n} pour la mobilité du quartier", theme=theme)
    page = joined.get(f"/events/{event.pk}/board/")
    html = page.content
    # The stylesheet and board.js are inside the page; polls.js (deferred) is the one
    # script fetched: the first load is the page plus it.
    text = html.decode()
    assert '<link rel="stylesheet"' not in text
    assert re.findall(r'<script src="([^"]+)"', text) == ["/static/frontend/js/polls.js"]
    static = Path(__file__).resolve().parents[2] / "frontend" / "static" / "frontend"
    assert (static / "js" / "board.js").read_text() in text
    polls = gzip.compress((static / "js" / "polls.js").read_bytes())
    assert len(gzip.compress(html)) + len(polls) < 60 * 1024
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
    author = factories.make_participant(event, "Foule")

    def count():
        with assert_queries("page board as a guest"):
            assert joined.get(f"/events/{event.pk}/board/").status_code == 200

    for n in range(30):
        factories.post_idea(author, f"Idée {n}")
    count()
    for n in range(30, 90):
        factories.post_idea(author, f"Idée {n}")
    count()  # 60 ideas more: the same count


def _csp_hashes(response) -> tuple[set[str], set[str]]:
    import re

    csp = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert "unsafe-inline" not in csp["script-src"] + csp["style-src"]
    return (
        set(re.findall(r"'sha256-([^']+)'", csp["script-src"])),
        set(re.findall(r"'sha256-([^']+)'", csp["style-src"])),
    )


def _sha(text: str) -> str:
    import base64
    import hashlib

    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


@pytest.mark.parametrize("path", ["/join/?code={code}", "/events/{pk}/board/"])
def test_inline_css_and_scripts_are_allowed_by_their_hashes_only(joined, event, path):
    """Each inline block's sha256 is in the page's CSP (so the browser runs it), and
    nothing else is allowed inline."""
    import re

    response = joined.get(path.format(code=event.join_code, pk=event.pk))
    html = response.content.decode()
    scripts, styles = _csp_hashes(response)
    inline_scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    inline_styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    assert len(inline_styles) == 1 and {_sha(t) for t in inline_styles} == styles
    assert {_sha(t) for t in inline_scripts} <= scripts
    if "board" in path:
        assert len(inline_scripts) == 2  # the early-tap queue in <head>, board.js at the end


def test_join_and_post_in_one_request_without_javascript(db, event):
    """A name and an idea on the join form: one POST joins, posts, and answers with the
    board showing the idea; the browser's "resend" of that form changes nothing."""
    client = Client()
    form = {
        "code": event.join_code.lower(),
        "display_name": "Zoé",
        "text": "Des bancs à l'ombre",
        "client_id": str(uuid.uuid4()),
    }
    response = client.post("/join/?lang=fr", form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Votre idée est sur le tableau." in html
    assert "Des bancs à l&#x27;ombre" in html and "data-post-form" in html
    idea = Idea.objects.get(event=event)
    assert idea.author.display_name == "Zoé" and idea.text == "Des bancs à l'ombre"
    again = client.post("/join/?lang=fr", form)
    assert again.status_code == 200
    assert Idea.objects.filter(event=event).count() == 1
    assert event.participants.count() == 1
    # The board (and a refresh of it) knows this visitor.
    board = client.get(f"/events/{event.pk}/board/?lang=fr").content.decode()
    assert "Vous publiez sous le nom Zoé." in board


def test_join_without_an_idea_and_a_refused_idea_keeps_the_text(db, event, organizer):
    from ateliers.services.board import board_set_locked

    response = Client().post("/join/", {"code": event.join_code, "display_name": "Léa"})
    assert response.status_code == 200 and not Idea.objects.exists()
    board_set_locked(actor=organizer, event=event, locked=True)
    response = Client().post(
        "/join/?lang=en", {"code": event.join_code, "display_name": "Max", "text": "Mon idée"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "locked" in html and ">Mon idée</textarea>" in html
    assert not Idea.objects.exists()


@pytest.mark.parametrize(("lang", "signed"), [("fr", "Anonyme"), ("en", "Anonymous")])
def test_a_guest_can_stay_anonymous(db, event, lang, signed):
    client = Client()
    response = client.post(
        f"/join/?lang={lang}",
        {"code": event.join_code, "display_name": "", "anonymous": "1", "text": "Sans nom"},
    )
    assert response.status_code == 200
    idea = Idea.objects.get(event=event)
    assert idea.author.display_name == signed
    assert f'<span data-field="author_name">{signed}</span>' in response.content.decode()
    # A name typed before ticking the box is not shown either.
    client.post(
        f"/join/?lang={lang}",
        {"code": event.join_code, "display_name": "Vrai Nom", "anonymous": "1"},
    )
    assert not event.participants.filter(display_name="Vrai Nom").exists()


def test_an_empty_name_without_the_anonymous_choice_is_explained(db, event):
    response = Client().post("/join/?lang=en", {"code": event.join_code, "display_name": " "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give a name, or tick “Stay anonymous”." in html
    assert 'id="id_anonymous"' in html
    assert not event.participants.exists()


def test_an_idea_posted_over_http_by_the_script_gets_the_sockets_ack(joined, event):
    """board.js posts over HTTP while its socket opens: the answer is the socket's ack."""
    cid = str(uuid.uuid4())
    url = f"/events/{event.pk}/board/post/"
    for _ in range(2):
        response = joined.post(
            url, {"text": "Vite", "client_id": cid}, HTTP_ACCEPT="application/json"
        )
        assert response.status_code == 200
        body = response.json()
        assert body["type"] == "ack" and body["ref"] == "idea.create"
        assert body["client_id"] == cid and body["idea"]["text"] == "Vite"
    assert Idea.objects.filter(event=event).count() == 1
    refused = joined.post(url, {"text": " "}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400 and refused.json()["type"] == "error"
    stranger = Client().post(url, {"text": "x"}, HTTP_ACCEPT="application/json")
    assert stranger.status_code == 403 and stranger.json()["detail"]


def test_moderation_without_javascript_shows_only_the_actions_that_fit(db, event, organizer):
    from ateliers.services.board import idea_moderate

    author = factories.make_participant(event)
    plain = factories.post_idea(author, "Visible, pas en avant")
    hidden = factories.post_idea(author, "Cachée")
    pinned = factories.post_idea(author, "Mise en avant")
    idea_moderate(actor=organizer, idea=hidden, action="hide")
    idea_moderate(actor=organizer, idea=pinned, action="pin")
    client = Client()
    client.force_login(organizer)
    html = client.get(f"/events/{event.pk}/moderate/").content.decode()

    def shown_actions(idea) -> set[str]:
        import re

        card = html[html.index(f'id="idea-{idea.pk}"') :]
        card = card[: card.index("</form>")]
        buttons = re.findall(r'<button type="submit" name="action" value="(\w+)"[^>]*>', card)
        hidden_ones = re.findall(r'value="(\w+)"[^>]* hidden>', card)
        return set(buttons) - set(hidden_ones)

    assert shown_actions(plain) == {"hide", "pin", "merge"}
    assert shown_actions(hidden) == {"show", "pin", "merge"}
    assert shown_actions(pinned) == {"hide", "unpin", "merge"}
    # The live-status pill stays hidden (not an empty grey pill) until the script runs.
    assert 'class="conn" data-conn role="status" hidden' in html
    css = (
        Path(__file__).resolve().parents[2] / "frontend/static/frontend/css/site.css"
    ).read_text()
    assert ".conn[hidden] { display: none; }" in css


def test_vote_buttons_are_named_after_their_idea(joined, event):
    long_text = "Un jardin partagé derrière la bibliothèque, avec des bacs à hauteur de fauteuil"
    idea = factories.post_idea(factories.make_participant(event), long_text)
    html = joined.get(f"/events/{event.pk}/board/").content.decode()
    card = html[html.index(f'id="idea-{idea.pk}"') :]
    button = card[card.index('<button type="submit" class="button vote-button"') :]
    button = button[: button.index("</button>")]
    assert "Un jardin partagé derrière la bibliothèque" in button
    assert long_text not in button  # shortened
    assert 'class="visually-hidden"' in button


def test_participant_pages_avoid_jargon(joined, event):
    html = joined.get(f"/events/{event.pk}/board/?lang=fr").content.decode()
    page = html.split("<body", 1)[1]
    import re

    visible = re.sub(r"<(script|template)\b.*?</\1>", " ", page, flags=re.S)
    for word in ("API", "AGPL", "Vue projecteur", "Épinglée", "caractères", "Connexion…"):
        assert word not in visible, word


def test_the_chosen_order_is_remembered_after_posting_without_javascript(joined, event):
    """The order was kept only in the address: after posting from the "newest first"
    view, the board came back sorted by votes. The choice is remembered per board."""
    guest = factories.make_participant(event)
    old = factories.post_idea(guest, "Une idée ancienne et soutenue")
    board.vote_set(participant=factories.make_participant(event), idea=old, value=1)
    response = joined.get(f"/events/{event.pk}/board/?sort=new")
    cookie = response.cookies["livinglab_sort"]
    assert cookie.value == "new" and cookie["path"] == f"/events/{event.pk}/board/"
    assert cookie["samesite"] == "Lax"
    response = joined.post(
        f"/events/{event.pk}/board/post/",
        {"text": "Une idée toute neuve", "client_id": str(uuid.uuid4())},
        follow=True,
    )
    html = response.content.decode()
    assert '<option value="new" selected>' in html
    assert html.index("Une idée toute neuve") < html.index("Une idée ancienne et soutenue")
    # A choice in the address wins, and is remembered in turn.
    html = joined.get(f"/events/{event.pk}/board/?sort=top").content.decode()
    assert '<option value="top" selected>' in html
    assert joined.cookies["livinglab_sort"].value == "top"
    # Anything else is the default order, never an error.
    joined.cookies["livinglab_sort"] = "'; drop"
    assert joined.get(f"/events/{event.pk}/board/").status_code == 200
