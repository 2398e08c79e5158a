"""The same report-back sent twice (a double click, a retried request) logs one report-back and
emails each attendee once, even when both arrive at the same moment."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from diffusion.models import ReportBack
from tests.concurrency import at_once, signed_in
from tests.conftest import World

FORM = {
    "title": "Treasury single account",
    "held_on": "2026-05-04",
    "audience": "Cash team",
    "audience_size": "12",
    "level": "organisation",
    "attendee_emails": "ama@home.example.org\nkofi@home.example.org",
}


@pytest.mark.django_db(transaction=True)
def test_two_identical_report_back_posts_at_once_log_one_and_email_once(world: World) -> None:
    url = reverse("diffusion:report_back_create", args=[world.programme.pk])
    client = Client()
    client.force_login(world.peer)
    page = client.get(url).content.decode()
    assert 'name="submission_key"' in page
    data = {**FORM, "submission_key": str(uuid.uuid4())}
    clients = [signed_in(world.peer) for _ in range(2)]
    responses = at_once([lambda c=c: c.post(url, data, follow=True) for c in clients])
    statuses = [getattr(response, "status_code", response) for response in responses]
    assert statuses == [200, 200], statuses
    report_back = ReportBack.objects.get()
    pages = [response.content.decode() for response in responses]
    assert sum("is logged already" in text for text in pages) == 1
    assert all(report_back.title in text for text in pages)
    assert report_back.recipients.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ama@home.example.org",
        "kofi@home.example.org",
    ]


@pytest.mark.django_db
def test_the_same_report_back_sent_again_leads_to_the_first(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.peer)
    url = reverse("diffusion:report_back_create", args=[world.programme.pk])
    data = {**FORM, "submission_key": str(uuid.uuid4())}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
        again = client.post(url, data, follow=True)
    report_back = ReportBack.objects.get()
    assert first["Location"] == report_back.get_absolute_url()
    assert again.redirect_chain[-1][0] == report_back.get_absolute_url()
    assert "This report-back is logged already" in again.content.decode()
    assert len(mail.outbox) == 2
    # A new form (a new key) logs a new report-back.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**FORM, "submission_key": str(uuid.uuid4())})
    assert ReportBack.objects.count() == 2


@pytest.mark.django_db
def test_the_api_logs_a_report_back_once_per_submission_key(world: World, client: Client) -> None:
    client.force_login(world.peer)
    url = reverse("diffusion-report-back-list")
    data = {
        "programme": world.programme.pk,
        "title": "Cash forecasting",
        "held_on": "2026-05-04",
        "audience": "Budget team",
        "audience_size": 5,
        "level": "team",
        "submission_key": str(uuid.uuid4()),
    }
    first = client.post(url, data, content_type="application/json")
    again = client.post(url, data, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert ReportBack.objects.count() == 1
