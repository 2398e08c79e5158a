"""Exports written in the background: the job runs, writes the file row by row with the same
privacy rules as the pages, shows its progress, waits when the broker is down, and only the
person who asked downloads it while they may still export the programme's data."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evaluation.models import AccessRecord, ExportJob, Item
from evaluation.services import export_jobs
from peerlearn import freshness, personal_data
from programmes.models import Membership
from tests.conftest import World
from tests.evaluation.factories import InstrumentFactory, ItemFactory, WaveFactory, answer_wave
from tests.servicekit import broker_unreachable

pytestmark = pytest.mark.django_db

SECRETS = {
    "private": "I doubt my director will ever allow this",
    "facilitators": "Our arrears are worse than reported",
    "programme": "We adopted the commitment control module",
}


@pytest.fixture
def answered(world: World) -> int:
    """Three peers answer a questionnaire with text at each level; returns the answer count."""
    instrument = InstrumentFactory(programme=world.programme)
    for position, level in enumerate(SECRETS):
        ItemFactory(
            instrument=instrument,
            code=f"text_{level}",
            kind=Item.Kind.LONG_TEXT,
            visibility=level,
            position=position,
        )
    ItemFactory(instrument=instrument, code="name", kind=Item.Kind.SHORT_TEXT, position=8)
    ItemFactory(instrument=instrument, code="rating", kind=Item.Kind.LIKERT, position=9)
    wave = WaveFactory(programme=world.programme, instrument=instrument)
    values = {f"text_{level}": text for level, text in SECRETS.items()}
    for peer in (world.peer, world.peer_same_cohort, world.peer_other_cohort):
        answer_wave(wave, peer, values | {"rating": 4, "name": "Казначейство, Ñuñoa"})
    return 3 * 5


def ask(client: Client, world: World, kind: str, fmt: str, callbacks: Any) -> Any:
    url = reverse("evaluation:export_request", args=[world.programme.pk])
    with callbacks(execute=True):
        return client.post(url, {"kind": kind, "format": fmt})


def download(client: Client, world: World, job: ExportJob) -> Any:
    return client.get(reverse("evaluation:export_download", args=[world.programme.pk, job.pk]))


def body_of(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_a_csv_export_job_writes_the_file_with_progress_and_a_byte_order_mark(
    world: World, client: Client, answered: int, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.facilitator)
    response = ask(client, world, "responses", "csv", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.requested_by == world.facilitator
    assert job.status == ExportJob.Status.DONE and job.finished_at is not None
    # Private answers never leave: two text levels of three, a name and a rating per peer.
    assert job.rows_done == job.rows_total == answered - 3
    page = client.get(reverse("evaluation:exports", args=[world.programme.pk])).content.decode()
    assert "Ready" in page and f"{job.filename}" in page
    assert "hx-get" not in page  # nothing to follow once the job is done

    got = download(client, world, job)
    assert got.status_code == 200
    assert got["Content-Disposition"].startswith("attachment")
    content = body_of(got)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert SECRETS["programme"] in text and SECRETS["facilitators"] in text
    assert SECRETS["private"] not in text
    assert "Казначейство, Ñuñoa" in text
    assert len(text.strip().splitlines()) == 1 + answered - 3
    assert AccessRecord.objects.filter(action="export", detail="responses.csv").exists()


def test_a_managers_xlsx_export_holds_only_text_shared_with_the_programme(
    world: World, client: Client, answered: int, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.manager)
    ask(client, world, "responses", "xlsx", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE
    assert job.rows_done == answered - 9  # the programme-level text and the rating
    sheet = load_workbook(io.BytesIO(body_of(download(client, world, job)))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    values = {cell.value for cell in cells}
    assert SECRETS["programme"] in values
    assert SECRETS["facilitators"] not in values and SECRETS["private"] not in values
    assert sheet.max_row == 1 + answered - 9
    assert all(cell.data_type != "f" for cell in cells)


def test_an_indicators_export_job_writes_the_indicator_table(
    world: World, client: Client, answered: int, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.facilitator)
    ask(client, world, "indicators", "csv", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE and job.rows_done > 5
    text = body_of(download(client, world, job)).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("tier,indicator,code")
    assert "funnel_" in text


def test_only_the_person_who_asked_downloads_and_only_while_they_may_export(
    world: World, client: Client, answered: int, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.facilitator)
    ask(client, world, "responses", "csv", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    urls = [
        reverse("evaluation:export_download", args=[world.programme.pk, job.pk]),
        reverse("evaluation:export_progress", args=[world.programme.pk, job.pk]),
    ]
    # Another person who may export the same programme: not found, and not on their page.
    for other in (world.manager, world.admin):
        client.force_login(other)
        assert [client.get(url).status_code for url in urls] == [404, 404]
        page = client.get(reverse("evaluation:exports", args=[world.programme.pk]))
        assert job.filename not in page.content.decode()
    # The job asked through another programme's address is not found either.
    client.force_login(world.facilitator)
    other = reverse("evaluation:export_download", args=[world.other_programme.pk, job.pk])
    assert client.get(other).status_code == 404
    assert client.get(urls[0]).status_code == 200
    # The person who asked stops being a facilitator of the programme: refused.
    Membership.objects.filter(user=world.facilitator, programme=world.programme).delete()
    assert [client.get(url).status_code for url in urls] == [404, 404]


def test_a_bad_format_or_kind_is_refused_with_a_clear_message(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.facilitator)
    response = ask(client, world, "responses", "pdf", django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "Choose CSV or XLSX." in response.content.decode()
    response = ask(client, world, "passwords", "csv", django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "Choose responses or indicators." in response.content.decode()
    assert not ExportJob.objects.exists()
    immediate = reverse("evaluation:export", args=[world.programme.pk, "responses", "pdf"])
    assert client.get(immediate).status_code == 404


def test_a_large_export_is_sent_to_the_exports_page_and_a_small_one_is_immediate(
    world: World, client: Client, answered: int, settings: Any
) -> None:
    client.force_login(world.facilitator)
    url = reverse("evaluation:export", args=[world.programme.pk, "responses", "csv"])
    small = client.get(url)
    assert small.status_code == 200 and small.content.startswith(b"\xef\xbb\xbf")
    settings.EVALUATION_EXPORT_IMMEDIATE_ROWS = 5
    large = client.get(url)
    assert large.status_code == 302
    assert large["Location"].startswith(reverse("evaluation:exports", args=[world.programme.pk]))
    page = client.get(large["Location"]).content.decode()
    assert "written in the background" in page
    assert not ExportJob.objects.exists()  # asking is the person's choice (a POST)


def test_asking_twice_while_a_job_waits_gives_the_same_job(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.facilitator)
    with broker_unreachable():
        ask(client, world, "responses", "csv", django_capture_on_commit_callbacks)
        ask(client, world, "responses", "csv", django_capture_on_commit_callbacks)
    assert ExportJob.objects.count() == 1


def test_a_job_asked_while_the_broker_is_down_waits_and_the_sweep_starts_it(
    world: World, client: Client, answered: int, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.facilitator)
    with broker_unreachable():
        ask(client, world, "responses", "xlsx", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.QUEUED and job.dispatched_at is None
    page = client.get(reverse("evaluation:exports", args=[world.programme.pk])).content.decode()
    assert "Waiting to start" in page and "starts by itself" in page
    assert "every 2s" in page  # the page follows the job while it waits
    progress = reverse("evaluation:export_progress", args=[world.programme.pk, job.pk])
    assert "hx-get" in client.get(progress).content.decode()

    assert export_jobs.queue_waiting_jobs() == 0  # its first minute: being handed over
    later = timezone.now() + timedelta(minutes=2)
    with broker_unreachable():
        assert export_jobs.queue_waiting_jobs(now=later) == 0
    assert export_jobs.queue_waiting_jobs(now=later) == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.dispatched_at is not None
    assert job.rows_done == answered - 3
    assert "hx-get" not in client.get(progress).content.decode()
    assert export_jobs.queue_waiting_jobs(now=later + timedelta(hours=1)) == 0


def test_a_job_runs_once_and_a_stalled_job_is_failed_with_a_reason(
    world: World, client: Client, answered: int, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.facilitator)
    ask(client, world, "responses", "csv", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    name = job.file.name
    assert export_jobs.write_export(job_id=job.pk) is False
    job.refresh_from_db()
    assert job.file.name == name

    stalled = ExportJob.objects.create(
        programme=world.programme,
        requested_by=world.facilitator,
        kind="responses",
        format="csv",
        status=ExportJob.Status.RUNNING,
        heartbeat_at=timezone.now() - timedelta(minutes=30),
    )
    assert export_jobs.write_export(job_id=stalled.pk) is False  # another worker has it
    assert export_jobs.fail_stalled_jobs() == 1
    stalled.refresh_from_db()
    assert stalled.status == ExportJob.Status.FAILED and "stopped" in stalled.error
    page = client.get(reverse("evaluation:exports", args=[world.programme.pk])).content.decode()
    assert "Failed" in page and "Ask for the export again" in page


def test_a_job_for_someone_who_lost_access_fails_without_writing(
    world: World, client: Client, answered: int
) -> None:
    job = ExportJob.objects.create(
        programme=world.programme, requested_by=world.peer, kind="responses", format="csv"
    )
    assert export_jobs.write_export(job_id=job.pk) is False
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and not job.file


def test_old_export_files_are_removed_and_recent_ones_kept(
    world: World, client: Client, answered: int, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.facilitator)
    ask(client, world, "responses", "csv", django_capture_on_commit_callbacks)
    ask(client, world, "responses", "xlsx", django_capture_on_commit_callbacks)
    old, recent = ExportJob.objects.order_by("pk")
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    assert default_storage.exists(old.file.name)
    assert export_jobs.purge_old_jobs() == 1
    assert not default_storage.exists(old.file.name)
    assert default_storage.exists(recent.file.name)
    assert list(ExportJob.objects.all()) == [recent]


def test_erasure_removes_the_persons_exports_and_their_files(
    world: World, client: Client, answered: int, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.facilitator)
    ask(client, world, "responses", "csv", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    downloaded = personal_data.collect(world.facilitator)
    assert "evaluation.ExportJob" in str(downloaded)
    personal_data.erase(world.facilitator)
    assert not ExportJob.objects.exists()
    assert not default_storage.exists(job.file.name)


def test_writing_an_export_leaves_the_dashboards_figures_fresh(
    world: World, client: Client, answered: int, django_capture_on_commit_callbacks: Any
) -> None:
    """Export jobs write their progress as they go; no figure reads them, so the cached flags
    and figures stay valid."""
    before = freshness.version()
    client.force_login(world.facilitator)
    ask(client, world, "responses", "csv", django_capture_on_commit_callbacks)
    assert ExportJob.objects.get().status == ExportJob.Status.DONE
    assert freshness.version() == before
