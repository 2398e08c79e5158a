"""Sign-in flows from django-allauth: password reset and email verification, by email."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_password_reset_by_email_sets_a_new_password(world: World, client: Client) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "peer@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    path = link.group(0).split("testserver", 1)[-1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": "a-new-budget-password", "password2": "a-new-budget-password"},
    )
    assert response.status_code == 302
    assert Client().login(email="peer@example.org", password="a-new-budget-password")


def test_unknown_address_gets_no_email_and_no_hint(client: Client, db: None) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302  # the same answer as for a known address
    assert mail.outbox == []  # nothing is sent to an address that has no account


def test_a_new_email_address_must_be_verified(world: World, client: Client) -> None:
    client.force_login(world.peer)
    response = client.post(
        reverse("account_email"), {"email": "peer.new@example.org", "action_add": ""}
    )
    assert response.status_code == 302
    address = EmailAddress.objects.get(email="peer.new@example.org")
    assert not address.verified
    assert len(mail.outbox) == 1
    confirm = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)
    assert confirm, mail.outbox[0].body
    path = confirm.group(0).split("testserver", 1)[-1]
    assert client.post(path).status_code == 302
    address.refresh_from_db()
    assert address.verified
