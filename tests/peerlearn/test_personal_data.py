"""A person's data: every model that names a user is declared, the download holds what is
theirs, and erasure removes their name everywhere while counts stay."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from django.test import Client
from django.urls import reverse

from evaluation.models import Item, Story
from group_life.models import Nudge, PairRequest, ReflectionEntry
from matching.models import Challenge, IntakeResponse, IntakeSurvey
from peerlearn import personal_data
from peerlearn.roles import Role
from peerlearn.users import services as user_services
from peerlearn.users.models import ErasureRequest, User
from peerlearn.users.services import confirm_erasure, request_erasure
from peerlearn.users.tasks import build_data_export, tell_facilitators_of_erasure
from programmes.models import Contact, Invitation, Membership
from programmes.services import retention
from tests.conftest import World
from tests.evaluation.factories import WaveFactory, answer_wave, builtin
from tests.factories import MembershipFactory, ProgrammeFactory

NAME = "Zanele Okonkwo-Petrov"


def test_every_model_with_a_user_field_is_declared() -> None:
    assert personal_data.uncovered() == []


def test_a_model_without_a_declaration_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    kept = [d for d in personal_data.declarations() if d.model != "group_life.ReflectionEntry"]
    monkeypatch.setattr(personal_data, "_DECLARATIONS", kept)
    assert set(personal_data.uncovered()) == {
        "group_life.ReflectionEntry.author",
        "group_life.ReflectionEntry.peer",
    }


def test_declarations_name_real_models_and_fields() -> None:
    for declaration in personal_data.declarations():
        model = declaration.model_class()
        names = {f.name for f in model._meta.get_fields()}
        for name in [*declaration.references, *declaration.scrub, *declaration.exclude]:
            assert name in names, f"{declaration.model}.{name}"
        if declaration.owner:
            assert declaration.owner.split("__")[0] in names, declaration.model
        if declaration.email_field:
            assert declaration.email_field in names, declaration.model


def _person_with_data(w: World) -> User:
    user = w.peer
    user.full_name = NAME
    user.save()
    ReflectionEntry.objects.create(
        programme=w.programme,
        author=user,
        learned=f"From {NAME}: arrears fall when commitments are recorded.",
        from_whom="",
        visibility="private",
    )
    ReflectionEntry.objects.create(
        programme=w.programme, author=w.peer_same_cohort, peer=user, learned="Their reflection"
    )
    Invitation.objects.create(
        programme=w.programme, email=user.email, full_name=NAME, role=Role.PEER
    )
    Contact.objects.create(
        programme=w.programme,
        logged_by=user,
        with_user=w.peer_same_cohort,
        occurred_on=date(2026, 3, 1),
        topic="Cash plans",
    )
    PairRequest.objects.create(
        programme=w.programme, requested_by=user, requested_of=w.peer_same_cohort, purpose="Learn"
    )
    Nudge.objects.create(
        programme=w.programme, user=user, kind="meeting", subject_key="g1", sent_on=date.today()
    )
    survey = IntakeSurvey.objects.create(cohort=w.cohort)
    response = IntakeResponse.objects.create(survey=survey, user=user, answers={"position": "CFO"})
    Challenge.objects.create(response=response, position=1, text="Arrears keep growing")
    Story.objects.create(programme=w.programme, author=user, title="Calendar", event="A meeting")
    instrument = builtin("wenger-value-creation")
    wave = WaveFactory(programme=w.programme, instrument=instrument)
    codes = {i.code: i for i in instrument.items.all()}
    text_code = next(c for c, i in codes.items() if i.kind in Item.TEXT_KINDS)
    answer_wave(wave, user, {"immediate_rating": 5, text_code: f"{NAME} told the story"})
    return user


def _text_columns() -> list[tuple[type[models.Model], str]]:
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.CharField | models.TextField | models.JSONField):
                found.append((model, f.name))
    return found


def _rows_mentioning(text: str) -> list[str]:
    hits = []
    for model, name in _text_columns():
        if model._meta.label in ("sessions.Session", "contenttypes.ContentType"):
            continue
        values = model._default_manager.values_list(name, flat=True)
        if any(text.lower() in json.dumps(v, ensure_ascii=False).lower() for v in values):
            hits.append(f"{model._meta.label}.{name}")
    return hits


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_the_download_holds_the_persons_data_as_json_and_csv(world: World) -> None:
    user = _person_with_data(world)
    archive = zipfile.ZipFile(io.BytesIO(personal_data.export_zip(user)))
    names = set(archive.namelist())
    assert {
        "users/User.json",
        "group_life/ReflectionEntry.json",
        "group_life/ReflectionEntry.csv",
    } <= names
    reflections = json.loads(archive.read("group_life/ReflectionEntry.json"))
    assert [r["learned"] for r in reflections] == [
        f"From {NAME}: arrears fall when commitments are recorded."
    ]
    # Someone else's reflection that names the person is not theirs to read.
    assert "Their reflection" not in archive.read("group_life/ReflectionEntry.csv").decode()
    assert "Arrears keep growing" in archive.read("matching/Challenge.csv").decode()
    assert json.loads(archive.read("users/User.json"))[0]["full_name"] == NAME
    assert "token" not in archive.read("programmes/Membership.json").decode()
    index = json.loads(archive.read("index.json"))
    assert {"data": "programmes.Contact", "rows": 1}.items() <= next(
        c for c in index["contents"] if c["data"] == "programmes.Contact"
    ).items()


def test_erasure_removes_the_name_and_address_everywhere_and_keeps_the_counts(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    user = _person_with_data(world)
    email = user.email
    assert _rows_mentioning(NAME) and _rows_mentioning(email)
    before = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        erasure = request_erasure(
            user=user, reason=f"I am {NAME}", job=tell_facilitators_of_erasure
        )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.facilitator.email]
    confirm_erasure(erasure=erasure, by=world.facilitator)
    assert _rows_mentioning(NAME) == []
    assert _rows_mentioning(email) == []
    after = _counts()
    deleted = {"group_life.Nudge": 1, "account.EmailAddress": 0}
    for label, count in before.items():
        if label in deleted:
            assert after[label] == count - deleted[label], label
        elif label != "users.ErasureRequest":
            assert after[label] == count, label
    user.refresh_from_db()
    assert str(user) == "Former participant" and not user.is_active
    assert not user.has_usable_password()
    erasure.refresh_from_db()
    assert erasure.status == "done" and erasure.confirmed_by == world.facilitator
    assert erasure.changes["group_life.ReflectionEntry"] == 1
    # Blank text stays blank, so an unanswered question is still unanswered.
    entry = ReflectionEntry.objects.get(author=user)
    assert (entry.learned, entry.from_whom) == (personal_data.ERASED_TEXT, "")
    # Other people's content stays as written.
    assert ReflectionEntry.objects.get(author=world.peer_same_cohort).learned == "Their reflection"


def test_erasure_is_confirmed_only_by_a_facilitator_of_the_persons_programme(
    world: World, client: Client
) -> None:
    erasure = request_erasure(user=world.peer, job=tell_facilitators_of_erasure)
    url = reverse("erasure_confirm", args=[erasure.pk])
    for outsider in (world.outsider, world.manager, world.peer_same_cohort):
        client.force_login(outsider)
        assert client.post(url).status_code == 404
    client.force_login(world.peer)
    assert client.post(url).status_code == 404  # never one's own
    erasure.refresh_from_db()
    assert erasure.status == "pending"
    client.force_login(world.facilitator)
    assert client.post(url).status_code == 302
    erasure.refresh_from_db()
    assert erasure.status == "done"
    assert client.post(url).status_code == 404  # handled once


def test_a_second_request_while_one_waits_gets_a_message(world: World, client: Client) -> None:
    client.force_login(world.peer)
    url = reverse("my_erasure")
    assert client.post(url, {"confirm": "on"}).status_code == 302
    response = client.post(url, {"confirm": "on", "reason": "again"})
    assert response.status_code == 400
    assert ErasureRequest.objects.filter(user=world.peer).count() == 1
    assert client.post(url, {}).status_code == 400  # the box must be ticked


def _sweep(now: Any) -> dict[str, int]:
    return user_services.queue_waiting_jobs(
        export_job=build_data_export, erasure_job=tell_facilitators_of_erasure, now=now
    )


def test_an_erasure_request_made_while_the_broker_is_down_reaches_the_facilitators_later(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from tests.servicekit import broker_unreachable

    client.force_login(world.peer)
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("my_erasure"), {"confirm": "on"})
    assert response.status_code == 302
    assert mail.outbox == []
    erasure = ErasureRequest.objects.get(user=world.peer)
    assert erasure.facilitators_told_at is None and erasure.dispatched_at is None

    later = timezone.now() + timedelta(minutes=2)
    with broker_unreachable():
        assert _sweep(later)["erasure_notices"] == 0
    assert _sweep(later)["erasure_notices"] == 1
    assert [m.to for m in mail.outbox] == [[world.facilitator.email]]
    erasure.refresh_from_db()
    assert erasure.facilitators_told_at is not None
    assert erasure.facilitators_told == [world.facilitator.pk]
    # Told once: a later sweep, or the job delivered again, emails nobody.
    assert _sweep(later + timedelta(hours=1)) == {"exports": 0, "erasure_notices": 0}
    assert user_services.tell_facilitators(request_id=erasure.pk) == 0
    assert len(mail.outbox) == 1


def test_a_facilitator_told_before_the_mail_server_failed_is_not_told_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = MembershipFactory(programme=world.programme, role=Role.FACILITATOR).user
    erasure = ErasureRequest.objects.create(user=world.peer)
    sent: list[str] = []
    original = user_services.mail.send_email

    def failing_for_the_second(**parts: Any) -> None:
        if parts["to"] == second:
            raise ConnectionRefusedError(111, "Connection refused")
        sent.append(parts["to"].email)
        original(**parts)

    monkeypatch.setattr(user_services.mail, "send_email", failing_for_the_second)
    with pytest.raises(ConnectionRefusedError):
        user_services.tell_facilitators(request_id=erasure.pk)
    erasure.refresh_from_db()
    assert erasure.facilitators_told == [world.facilitator.pk]
    assert erasure.facilitators_told_at is None  # tried again later

    monkeypatch.setattr(user_services.mail, "send_email", original)
    assert user_services.tell_facilitators(request_id=erasure.pk) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.facilitator.email, second.email])
    erasure.refresh_from_db()
    assert erasure.facilitators_told_at is not None


def test_a_download_whose_email_failed_is_announced_later_and_built_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import smtplib
    from datetime import timedelta

    from django.utils import timezone

    from peerlearn.users.models import DataExport

    export = DataExport.objects.create(user=world.peer, token="t" * 40)
    original = user_services.mail.send_email
    built: list[int] = []
    export_zip = user_services.personal_data.export_zip

    def counting_zip(user: User) -> bytes:
        built.append(user.pk)
        return export_zip(user)

    def refused(**parts: Any) -> None:
        raise smtplib.SMTPServerDisconnected("the server closed the connection")

    monkeypatch.setattr(user_services.personal_data, "export_zip", counting_zip)
    monkeypatch.setattr(user_services.mail, "send_email", refused)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        user_services.build_export(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == "ready" and export.file  # the file is kept
    assert export.owner_told_at is None
    assert mail.outbox == []

    # The job's retries gave up; the sweep hands it over again and the email goes this time.
    monkeypatch.setattr(user_services.mail, "send_email", original)
    DataExport.objects.filter(pk=export.pk).update(dispatched_at=timezone.now())
    later = timezone.now() + timedelta(hours=1)
    assert _sweep(later)["exports"] == 1
    assert [m.to for m in mail.outbox] == [[world.peer.email]]
    assert built == [world.peer.pk]  # not built again
    export.refresh_from_db()
    assert export.owner_told_at is not None
    # Told once: the job delivered again and later sweeps do nothing.
    assert user_services.build_export(export_id=export.pk) is False
    assert _sweep(later + timedelta(hours=1))["exports"] == 0
    assert len(mail.outbox) == 1


def test_a_retention_notice_cut_short_by_the_mail_server_tells_each_facilitator_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import smtplib

    from programmes.models import Programme

    programme = world.programme
    programme.starts_on, programme.ends_on, programme.retention_months = (
        date(2025, 1, 1),
        date(2025, 6, 30),
        6,
    )
    programme.save()
    second = MembershipFactory(programme=programme, role=Role.FACILITATOR).user
    refused = MembershipFactory(programme=programme, role=Role.FACILITATOR).user
    original = retention.mail.send_email
    server_up = False

    def flaky(**parts: Any) -> None:
        if parts["to"] == refused:
            raise smtplib.SMTPRecipientsRefused({refused.email: (550, b"no such user")})
        if parts["to"] == second and not server_up:
            raise smtplib.SMTPServerDisconnected("the server closed the connection")
        original(**parts)

    monkeypatch.setattr(retention.mail, "send_email", flaky)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        retention.apply_retention(today=date(2025, 12, 1))
    assert [m.to for m in mail.outbox] == [[world.facilitator.email]]
    programme.refresh_from_db()
    assert programme.retention_notice_told == [world.facilitator.pk]
    assert programme.retention_notice_sent_at is None

    server_up = True  # the job tried again: only the facilitator not told yet
    assert retention.apply_retention(today=date(2025, 12, 1))["notices"] == 1
    assert [m.to for m in mail.outbox] == [[world.facilitator.email], [second.email]]
    assert Programme.objects.get(pk=programme.pk).retention_notice_sent_at is not None
    # the refused address is not tried every night
    assert retention.apply_retention(today=date(2025, 12, 2))["notices"] == 0
    assert len(mail.outbox) == 2


def test_a_download_for_an_address_refused_for_good_is_not_announced_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import smtplib
    from datetime import timedelta

    from django.utils import timezone

    from peerlearn.users.models import DataExport

    export = DataExport.objects.create(user=world.peer, token="r" * 40)
    attempts: list[str] = []

    def refused(**parts: Any) -> None:
        attempts.append(parts["to"].email)
        raise smtplib.SMTPRecipientsRefused({world.peer.email: (550, b"no such user")})

    monkeypatch.setattr(user_services.mail, "send_email", refused)
    assert user_services.build_export(export_id=export.pk) is False
    export.refresh_from_db()
    assert export.status == "ready" and export.owner_told_at is not None
    assert _sweep(timezone.now() + timedelta(hours=1))["exports"] == 0
    assert user_services.build_export(export_id=export.pk) is False
    assert attempts == [world.peer.email]


def test_retention_warns_facilitators_then_erases_peers_not_kept_elsewhere(world: World) -> None:
    programme = world.programme
    programme.starts_on, programme.ends_on, programme.retention_months = (
        date(2025, 1, 1),
        date(2025, 6, 30),
        6,
    )
    programme.save()
    assert retention.anonymised_on(programme) == date(2025, 12, 30)
    # The peer in another programme that keeps its data keeps their account.
    kept = ProgrammeFactory()
    MembershipFactory(user=world.peer_other_cohort, programme=kept, role=Role.PEER)
    assert retention.apply_retention(today=date(2025, 11, 1)) == {
        "notices": 0,
        "programmes": 0,
        "erased": 0,
    }
    done = retention.apply_retention(today=date(2025, 12, 1))
    assert done["notices"] == 1
    assert [m.to for m in mail.outbox] == [[world.facilitator.email]]
    assert "30 December 2025" in mail.outbox[0].body
    assert retention.apply_retention(today=date(2025, 12, 2))["notices"] == 0  # once
    peers_before = Membership.objects.filter(programme=programme, role=Role.PEER).count()
    done = retention.apply_retention(today=date(2025, 12, 30))
    assert done == {"notices": 0, "programmes": 1, "erased": 4}  # 3 peers and the sponsor
    erased = set(User.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    assert erased == {
        world.peer.pk,
        world.peer_same_cohort.pk,
        world.peer_other_organisation.pk,
        world.sponsor.pk,
    }
    assert Membership.objects.filter(programme=programme, role=Role.PEER).count() == peers_before
    assert retention.apply_retention(today=date(2026, 1, 1)) == {
        "notices": 0,
        "programmes": 0,
        "erased": 0,
    }
    assert ErasureRequest.objects.filter(source="retention").count() == 4


def test_add_months_keeps_to_the_end_of_short_months() -> None:
    assert retention.add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert retention.add_months(date(2025, 1, 15), 12) == date(2026, 1, 15)


def test_the_account_page_offers_the_download(world: World, client: Client) -> None:
    client.force_login(world.peer)
    page = client.get(reverse("my_account")).content.decode()
    assert f'<form method="post" action="{reverse("my_data")}">' in page
    assert f'href="{reverse("my_data")}"' not in page  # no link builds an archive
    assert client.get(reverse("my_data")).status_code == 405
    response = client.post(reverse("my_data"))
    assert response["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(response.content)).read("users/User.json")


def test_a_large_download_asked_for_while_the_broker_is_down_is_built_once_it_is_back(
    world: World,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from peerlearn.users.models import DataExport
    from tests.servicekit import broker_unreachable

    _person_with_data(world)
    monkeypatch.setattr(user_services, "EXPORT_NOW_ROWS", 3)
    client.force_login(world.peer)
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("my_data"))
    assert response.status_code == 302
    export = DataExport.objects.get()
    assert export.status == "pending" and export.dispatched_at is None
    later = timezone.now() + timedelta(minutes=2)
    assert _sweep(later)["exports"] == 1
    export.refresh_from_db()
    assert export.status == "ready"
    assert [m.to for m in mail.outbox] == [[world.peer.email]]
    assert _sweep(later + timedelta(hours=1))["exports"] == 0
    assert len(mail.outbox) == 1


def test_a_large_download_is_built_in_the_background_for_its_owner_only(
    world: World,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from peerlearn.users import services
    from peerlearn.users.models import DataExport

    _person_with_data(world)
    monkeypatch.setattr(services, "EXPORT_NOW_ROWS", 3)
    client.force_login(world.peer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("my_data"))
    assert response.status_code == 302
    export = DataExport.objects.get()
    assert export.status == "ready"
    assert [m.to for m in mail.outbox] == [[world.peer.email]]
    url = reverse("my_export", args=[export.pk])
    assert "Download prepared on" in client.get(reverse("my_account")).content.decode()
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(url).streaming_content)))
    assert NAME in archive.read("users/User.json").decode()
    assert services.build_export(export_id=export.pk) is False  # built once
    client.force_login(world.peer_same_cohort)
    assert client.get(url).status_code == 404
    path = export.file.path
    services.erase_exports(
        personal_data.Erasure(user=world.peer, email="", full_name="", replacement_email="")
    )
    assert not DataExport.objects.exists()
    assert not Path(path).exists()


def test_the_download_reads_the_kinds_of_data_the_person_has_not_the_programme(
    world: World, client: Client
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.pages import bulk_peers

    def download() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("my_data"))
        assert response["Content-Type"] == "application/zip"
        return len(queries.captured_queries)

    user = _person_with_data(world)
    client.force_login(user)
    before = download()
    for other in bulk_peers(world.programme, 40, tag="a", cohort=world.cohort):
        Contact.objects.create(
            programme=world.programme,
            logged_by=other,
            with_user=world.peer_same_cohort,
            occurred_on=date(2026, 3, 1),
        )
    assert download() == before
    archive = zipfile.ZipFile(io.BytesIO(client.post(reverse("my_data")).content))
    kinds = len(json.loads(archive.read("index.json"))["contents"])
    # one count of every kind of data, one read of each kind the person has, and the session
    assert before <= kinds + 6
    assert before < len(personal_data.declarations())
