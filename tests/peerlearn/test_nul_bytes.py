"""A NUL character (``\\x00``) in any text input is refused with a 400 and a message, before any
view runs, so PostgreSQL never sees it (it cannot store NUL in text and would answer 500)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from programmes.models import Contact
from tests.conftest import World

pytestmark = pytest.mark.django_db

MESSAGE = "NUL character"
SAMPLE = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-0000"}


def every_route() -> Iterator[str]:
    """A concrete path for every URL pattern of the site (placeholders filled in)."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str]:
        for entry in patterns:
            if not isinstance(entry.pattern, RoutePattern):
                continue
            route = str(entry.pattern._route)
            for name, converter in entry.pattern.converters.items():
                kind = type(converter).__name__.removesuffix("Converter").lower()
                for token in (f"<{kind}:{name}>", f"<{name}>"):
                    route = route.replace(token, SAMPLE.get(kind, "x"))
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + route)
            else:
                yield "/" + prefix + route

    return walk(get_resolver().url_patterns, "")


def refused(response: object) -> bool:
    status = getattr(response, "status_code", None)
    return status == 400 and MESSAGE in response.content.decode()  # type: ignore[attr-defined]


def test_every_page_and_endpoint_refuses_nul_before_its_view(world: World) -> None:
    client = Client()
    client.force_login(world.facilitator)
    routes = sorted(set(every_route()))
    assert len(routes) > 100
    wrong = []
    for route in routes:
        if not refused(client.post(route, {"name": "Ministry\x00", "topic": "ok"})):
            wrong.append(("form", route))
        if not refused(client.get(route, {"tag": "\x00"})):
            wrong.append(("query", route))
        body = json.dumps({"fields": [{"title": "a\x00b"}]})
        if not refused(client.patch(route, body, content_type="application/json")):
            wrong.append(("json", route))
    assert wrong == []


def test_calendar_feed_with_nul_token_is_refused_for_anyone(client: Client, db: None) -> None:
    response = client.get("/programmes/calendar/%00.ics")
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_library_tag_filter_with_nul_is_refused(world: World, client: Client) -> None:
    client.force_login(world.peer)
    url = reverse("programmes:library", args=[world.programme.pk])
    assert client.get(url, {"tag": "budget"}).status_code == 200
    response = client.get(url + "?tag=%00budget")
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_api_json_with_nul_is_refused_and_nothing_is_stored(world: World, client: Client) -> None:
    client.force_login(world.peer)
    payload = {
        "programme": world.programme.pk,
        "with_user": world.peer_same_cohort.pk,
        "occurred_on": "2026-03-02",
        "channel": "call",
        "topic": "Commitment\x00controls",
    }
    response = client.post("/api/v1/contacts/", payload, content_type="application/json")
    assert response.status_code == 400
    assert MESSAGE in response.json()["detail"]
    assert not Contact.objects.exists()
    # A backslash followed by "u0000" is ordinary text, not a NUL: it is stored as typed.
    payload["topic"] = "Commitment\\u0000controls"
    response = client.post("/api/v1/contacts/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Contact.objects.get().topic == "Commitment\\u0000controls"


def test_login_form_with_nul_is_refused_in_the_visitors_language(client: Client, db: None) -> None:
    response = client.post(
        reverse("account_login"),
        {"login": "peer@example.org\x00", "password": "x"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    assert 'lang="fr"' in response.content.decode()


def test_nul_in_a_text_field_beside_an_upload_is_refused(world: World, client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.facilitator)
    upload = SimpleUploadedFile("notes.pdf", b"%PDF-1.4 \x00\x01", content_type="application/pdf")
    url = reverse("programmes:library", args=[world.programme.pk])
    response = client.post(url, {"title": "Budget\x00 notes", "file": upload})
    assert refused(response)
    # The same upload with clean text is not refused for the zero bytes inside the file.
    upload.seek(0)
    assert not refused(client.post(url, {"title": "Budget notes", "file": upload}))


def test_a_cookie_with_nul_is_ignored_not_sent_to_the_session_store(
    world: World, client: Client
) -> None:
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    response = client.get(reverse("home"))
    assert response.status_code == 200
