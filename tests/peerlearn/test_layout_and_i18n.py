"""The shared layout: landmarks, navigation by role, language switching, no CDN, health check."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_layout_has_landmarks_skip_link_and_labelled_language_switcher(
    world: World, client: Client
) -> None:
    client.force_login(world.peer)
    html = client.get(reverse("home")).content.decode()
    assert '<a class="skip-link" href="#content">' in html
    assert '<main id="content"' in html
    assert '<nav aria-label="Main">' in html
    assert '<label for="language-select">' in html
    assert '<html lang="en" dir="ltr">' in html
    assert 'name="viewport"' in html


def test_no_asset_is_loaded_from_another_host(world: World, client: Client) -> None:
    client.force_login(world.facilitator)
    for url in (reverse("home"), world.programme.get_absolute_url(), reverse("account_login")):
        html = client.get(url).content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        external = [s for s in sources if s.startswith(("http:", "https:", "//"))]
        assert external == [], (url, external)


def test_navigation_depends_on_the_person(world: World, client: Client) -> None:
    anonymous = client.get(reverse("home")).content.decode()
    assert "My programmes" not in anonymous
    client.force_login(world.peer)
    peer = client.get(reverse("home")).content.decode()
    assert "My programmes" in peer and "Administration" not in peer
    client.force_login(world.admin)
    assert "Administration" in client.get(reverse("home")).content.decode()


def test_facilitator_sees_the_invite_button_peer_does_not(world: World, client: Client) -> None:
    url = world.programme.get_absolute_url()
    client.force_login(world.facilitator)
    page = client.get(url).content.decode()
    assert "Invite someone" in page
    assert '<span class="badge">Facilitator</span>' in page
    client.force_login(world.peer)
    assert "Invite someone" not in client.get(url).content.decode()


def test_switching_to_french_translates_layout_and_sign_in(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert '<html lang="fr"' in home
    assert "Aller au contenu principal" in home
    login = client.get(reverse("account_login")).content.decode()
    assert "Connexion" in login
    assert "Mot de passe" in login


def test_health_check_answers_on_any_host(client: Client) -> None:
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_login_page_does_not_offer_a_closed_sign_up(client: Client) -> None:
    html = client.get(reverse("account_login")).content.decode()
    assert "sign up" not in html.lower()
    assert "joined by invitation" in html
    assert client.get(reverse("account_signup")).status_code == 200
    assert "closed" in client.get(reverse("account_signup")).content.decode().lower()


@pytest.mark.parametrize("debug", [True, False])
def test_uploaded_files_are_never_served_directly(debug: bool, settings: Any) -> None:
    """Uploads (mandates, materials, products) go only through views that check permissions."""
    import importlib

    from django.urls import Resolver404, resolve

    import peerlearn.urls

    settings.DEBUG = debug
    urls = importlib.reload(peerlearn.urls)
    try:
        with pytest.raises(Resolver404):
            resolve(f"{settings.MEDIA_URL}programmes/1/mandates/x.pdf", urlconf=urls)
    finally:
        settings.DEBUG = False
        importlib.reload(peerlearn.urls)
