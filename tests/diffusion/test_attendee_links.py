"""Report-backs and the attendees' personal links: sent once, answer once, expire, resist
tampering, and read nothing else."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diffusion import emails, services
from diffusion.models import Recipient, ReportBack
from diffusion.selectors import hash_token, peers_diffusing
from tests.conftest import World
from tests.diffusion.factories import recipient_with_token

LINK = re.compile(r"https?://[^\s\"<]+/diffusion/share/([^/\s\"<]+)/")


def _token_from(message: mail.EmailMessage) -> str:
    match = LINK.search(str(message.body))
    assert match, message.body
    return match.group(1)


def _log(world: World, emails: list[str], size: int = 5) -> ReportBack:
    return services.log_report_back(
        programme=world.programme,
        peer=world.peer,
        title="Commitment controls back home",
        held_on=datetime.date(2026, 5, 4),
        audience="Cash team",
        audience_size=size,
        level="unit",
        attendee_emails=emails,
    )


@pytest.fixture
def logged(world: World, django_capture_on_commit_callbacks: object) -> ReportBack:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        return _log(world, ["ama@home.example.org", "kofi@home.example.org"])


def test_logging_a_report_back_sends_each_attendee_one_personal_link(
    world: World, logged: ReportBack
) -> None:
    assert logged.organisation == world.organisation
    assert sorted(m.to[0] for m in mail.outbox) == ["ama@home.example.org", "kofi@home.example.org"]
    tokens = {_token_from(m) for m in mail.outbox}
    assert len(tokens) == 2
    for recipient in logged.recipients.all():
        assert recipient.depth == 1 and recipient.link_sent_at is not None
        assert len(recipient.token_hash) == 64
        # only the hash is stored, never the token itself
        assert recipient.token_hash not in tokens
        assert (
            hash_token(_token_from(next(m for m in mail.outbox if m.to == [recipient.email])))
            == recipient.token_hash
        )
    # sending again is a no-op: the task is idempotent
    assert emails.send_feedback_link(recipient_id=logged.recipients.first().pk) is False  # type: ignore[union-attr]
    assert len(mail.outbox) == 2
    assert peers_diffusing(world.programme) == {world.peer.pk}


def test_an_attendee_answers_once_and_the_people_they_name_extend_the_graph(
    world: World, logged: ReportBack, client: Client, django_capture_on_commit_callbacks: object
) -> None:
    message = next(m for m in mail.outbox if m.to == ["ama@home.example.org"])
    url = reverse("diffusion:feedback", args=[_token_from(message)])
    page = client.get(url)
    assert page.status_code == 200
    assert "Commitment controls back home" in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        answer = client.post(
            url,
            {
                "will_use": "The registration checklist",
                "share_with": "esi@home.example.org, yaw@home.example.org",
            },
        )
    assert answer.status_code == 200
    ama = Recipient.objects.get(email="ama@home.example.org")
    assert ama.answered_at is not None and ama.will_use == "The registration checklist"
    onward = Recipient.objects.filter(shared_by=ama)
    assert {r.email for r in onward} == {"esi@home.example.org", "yaw@home.example.org"}
    assert {r.depth for r in onward} == {2}
    assert sorted(m.to[0] for m in mail.outbox) == ["esi@home.example.org", "yaw@home.example.org"]

    # reuse: a second answer is refused and changes nothing
    again = client.post(url, {"will_use": "Something else", "share_with": "z@home.example.org"})
    assert again.status_code == 410
    assert "used already" in again.content.decode()
    ama.refresh_from_db()
    assert ama.will_use == "The registration checklist"
    assert not Recipient.objects.filter(email="z@home.example.org").exists()
    assert client.get(url).status_code == 410

    # depth 3: someone named by an attendee answers in turn
    esi_message = next(m for m in mail.outbox if m.to == ["esi@home.example.org"])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(
            reverse("diffusion:feedback", args=[_token_from(esi_message)]),
            {"will_use": "The template", "share_with": "kwesi@home.example.org"},
        )
    assert Recipient.objects.get(email="kwesi@home.example.org").depth == 3


def test_an_expired_link_is_refused(world: World, client: Client) -> None:
    recipient, token = recipient_with_token(
        link_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    url = reverse("diffusion:feedback", args=[token])
    assert client.get(url).status_code == 410
    response = client.post(url, {"will_use": "x", "share_with": ""})
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.answered_at is None


def test_an_altered_or_unknown_link_is_not_found(world: World, client: Client) -> None:
    recipient, token = recipient_with_token()
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (altered, "x", "a" * 300):
        response = client.post(
            reverse("diffusion:feedback", args=[bad]), {"will_use": "x", "share_with": ""}
        )
        assert response.status_code == 404
    recipient.refresh_from_db()
    assert recipient.answered_at is None
    # a recipient whose link was never sent has no hash: an empty token cannot match it
    blank = Recipient.objects.create(report_back=recipient.report_back, email="n@example.org")
    assert blank.token_hash == ""
    assert client.get("/diffusion/share/%20/").status_code == 404


def test_a_link_reads_nothing_else(world: World, client: Client) -> None:
    recipient, token = recipient_with_token()
    client.get(reverse("diffusion:feedback", args=[token]))
    report_back = recipient.report_back
    detail = client.get(reverse("diffusion:report_back_detail", args=[report_back.pk]))
    assert detail.status_code == 302 and "/accounts/login/" in detail["Location"]
    api = client.get(reverse("diffusion-report-back-list"))
    assert api.status_code == 403
    page = client.get(reverse("diffusion:feedback", args=[token])).content.decode()
    assert recipient.email not in page  # the page does not even echo the attendee's address


def test_bad_answers_are_refused_in_plain_words_and_nothing_is_saved(
    world: World, client: Client
) -> None:
    recipient, token = recipient_with_token()
    url = reverse("diffusion:feedback", args=[token])
    response = client.post(url, {"will_use": "", "share_with": "not-an-email, ok@example.org"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "These are not email addresses: not-an-email" in text
    assert "This field is required" in text
    recipient.refresh_from_db()
    assert recipient.answered_at is None
    assert not Recipient.objects.filter(email="ok@example.org").exists()


def test_naming_more_attendees_than_were_present_is_refused(world: World) -> None:
    with pytest.raises(services.DiffusionError):
        _log(world, ["a@example.org", "b@example.org", "c@example.org"], size=2)
    assert not ReportBack.objects.exists()


def test_answers_never_name_the_same_person_twice_in_one_session(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        report_back = _log(world, ["ama@home.example.org"])
    ama = report_back.recipients.get()
    services.submit_feedback(
        recipient=Recipient.objects.get(pk=ama.pk),
        will_use="x",
        share_with=["AMA@home.example.org", world.peer.email, "new@home.example.org"],
    )
    assert sorted(report_back.recipients.values_list("email", flat=True)) == [
        "ama@home.example.org",
        "new@home.example.org",
    ]


def test_adding_someone_whose_link_expired_sends_a_fresh_link(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    recipient, old_token = recipient_with_token(
        link_expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    report_back = recipient.report_back
    report_back.peer = world.peer
    report_back.save()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        added = services.add_attendees(report_back=report_back, emails=[recipient.email])
    assert added == []
    assert report_back.recipients.count() == 1
    assert [m.to for m in mail.outbox] == [[recipient.email]]
    recipient.refresh_from_db()
    assert recipient.token_hash == hash_token(_token_from(mail.outbox[0]))
    assert recipient.token_hash != hash_token(old_token)
    assert recipient.link_expires_at is not None and recipient.link_expires_at > timezone.now()
