"""The person's language: the account's preferred language writes their pages (from the first
page after login), their emails and their certificates; a link from an email opens its page in
the link's language; dates go into date inputs in ISO form whatever the page's language."""

from __future__ import annotations

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from diffusion import services as diffusion_services
from peerlearn.languages import supported, with_language
from peerlearn.mail import language_of
from tests.conftest import World
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_supported_languages_and_links() -> None:
    assert supported("fr-CA") == "fr" and supported("AR") == "ar" and supported("de") is None
    assert with_language("https://x.org/a/?b=1&lang=en", "ru") == "https://x.org/a/?b=1&lang=ru"
    assert with_language("https://x.org/a/", "xx") == "https://x.org/a/"


def test_the_account_page_sets_the_preferred_language(world: World, client: Client) -> None:
    client.force_login(world.peer)
    page = client.get(reverse("profile")).content.decode()
    assert 'name="preferred_language"' in page and 'value="ar"' in page
    response = client.post(
        reverse("profile"), {"full_name": "Ama Mensah", "preferred_language": "fr"}
    )
    assert response.status_code == 302
    world.peer.refresh_from_db()
    assert world.peer.preferred_language == "fr"
    # Every later page is French, whatever the browser asks for.
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr" dir="ltr">' in home and "Mes programmes" in home


def test_a_bad_language_is_refused_and_nothing_is_lost(world: World, client: Client) -> None:
    client.force_login(world.peer)
    response = client.post(reverse("profile"), {"full_name": "Ama", "preferred_language": "xx"})
    assert response.status_code == 400
    assert "xx" in response.content.decode() or "valid choice" in response.content.decode()
    world.peer.refresh_from_db()
    assert world.peer.preferred_language != "xx"


def test_the_first_page_after_login_is_in_the_preferred_language(
    world: World, client: Client
) -> None:
    world.peer.preferred_language = "ar"
    world.peer.save()
    EmailAddress.objects.update_or_create(
        user=world.peer, email=world.peer.email, defaults={"verified": True, "primary": True}
    )
    response = client.post(
        reverse("account_login"),
        {"login": world.peer.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "برامجي" in html  # "My programmes" in the navigation


def test_the_switcher_changes_the_preference_of_a_signed_in_person(
    world: World, client: Client
) -> None:
    client.force_login(world.peer)
    client.post(reverse("set_language"), {"language": "fr", "next": "/?lang=en"})
    world.peer.refresh_from_db()
    assert world.peer.preferred_language == "fr"


def test_emails_and_their_links_follow_the_language(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    """An attendee has no account: they are written to in the language of the peer who shared
    with them, and their link opens the page in that language."""
    world.peer.preferred_language = "fr"
    world.peer.save()
    assert language_of("nobody@home.example.org", fallback="fr") == "fr"
    assert language_of(world.peer, fallback="en") == "fr"
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        diffusion_services.log_report_back(
            programme=world.programme,
            peer=world.peer,
            title="Contrôle des engagements",
            held_on=datetime.date(2026, 5, 4),
            audience="Équipe",
            audience_size=3,
            level="unit",
            attendee_emails=["ama@home.example.org"],
        )
    (message,) = mail.outbox
    assert "Deux questions" in message.subject
    assert "Bonjour" in message.body
    link = re.search(r"https?://\S+/diffusion/share/\S+", str(message.body))
    assert link and link.group(0).endswith("?lang=fr")
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    page = Client().get("/" + path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr"' in page and "Envoyer mes réponses" in page


def test_public_pages_follow_the_browser_without_a_link_language(world: World) -> None:
    page = Client().get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr"' in page


def test_date_inputs_keep_iso_values_on_a_french_page(world: World, client: Client) -> None:
    world.programme.starts_on = datetime.date(2026, 3, 2)
    world.programme.save()
    world.facilitator.preferred_language = "fr"
    world.facilitator.save()
    client.force_login(world.facilitator)
    page = client.get(reverse("programmes:edit", args=[world.programme.pk])).content.decode()
    assert 'type="date"' in page and 'value="2026-03-02"' in page
    assert "02/03/2026" not in page
