"""Kernel-wide limits on request bodies: refused with a message before any view reads them."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from peerlearn.uploads import MAX_KNOWLEDGE_BYTES, MAX_MANDATE_BYTES
from programmes.models import KnowledgeProduct
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_the_site_limit_leaves_room_for_every_form_limit() -> None:
    assert max(MAX_KNOWLEDGE_BYTES, MAX_MANDATE_BYTES) < settings.MAX_UPLOAD_BYTES


@override_settings(MAX_UPLOAD_BYTES=1024 * 1024)
def test_an_upload_over_the_site_limit_is_refused_unread(world: World, client: Client) -> None:
    client.force_login(world.facilitator)
    upload = SimpleUploadedFile("notes.pdf", b"%PDF-1.4\n" + b"0" * (1536 * 1024))
    url = reverse("programmes:library", args=[world.programme.pk])
    response = client.post(url, {"title": "Budget notes", "file": upload})
    assert response.status_code == 413
    assert "This request is too big (1.5 MB). The limit is 1.0 MB" in response.content.decode()
    assert not KnowledgeProduct.objects.exists()


def test_an_api_body_over_the_limit_is_refused_unread(world: World, client: Client) -> None:
    client.force_login(world.peer)
    body = json.dumps({"topic": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = client.post("/api/v1/contacts/", body, content_type="application/json")
    assert response.status_code == 413
    assert "too big" in response.json()["detail"]


def test_a_form_with_too_many_fields_is_refused(world: World, client: Client) -> None:
    client.force_login(world.facilitator)
    fields = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(reverse("programmes:library", args=[world.programme.pk]), fields)
    assert response.status_code == 400
