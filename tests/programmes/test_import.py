"""Peer import: preview before writing, every bad row named, all-or-nothing, re-import updates."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from peerlearn.roles import Role
from programmes import services
from programmes.importing import MAX_IMPORT_BYTES, country_code, parse_peer_file
from programmes.models import Invitation, Membership, Nomination, Organisation, PeerImport
from tests.conftest import World

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
HEADER = "email,full_name,organisation,country\n"


def upload(client: Client, world: World, name: str, content: bytes, **extra: str) -> PeerImport:
    client.force_login(world.facilitator)
    response = client.post(
        reverse("programmes:import", args=[world.programme.pk]),
        {"file": SimpleUploadedFile(name, content), **extra},
    )
    assert response.status_code == 302, response.content[:500]
    return PeerImport.objects.filter(programme=world.programme).latest("created_at")


def preview_text(client: Client, preview: PeerImport) -> str:
    url = reverse("programmes:import_preview", args=[preview.programme_id, preview.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def nothing_written(world: World, before: dict[str, int]) -> None:
    assert Invitation.objects.count() == before["invitations"]
    assert Membership.objects.count() == before["memberships"]
    assert Organisation.objects.count() == before["organisations"]
    assert Nomination.objects.count() == before["nominations"]
    assert len(mail.outbox) == 0


def counts() -> dict[str, int]:
    return {
        "invitations": Invitation.objects.count(),
        "memberships": Membership.objects.count(),
        "organisations": Organisation.objects.count(),
        "nominations": Nomination.objects.count(),
    }


def test_a_file_full_of_bad_rows_names_each_row_and_writes_nothing(
    client: Client, world: World
) -> None:
    before = counts()
    preview = upload(client, world, "peers.csv", (DATA / "peers_bad_rows.csv").read_bytes())
    assert preview.status == PeerImport.Status.REFUSED
    messages = {p["line"]: p["message"] for p in preview.problems}
    assert set(messages) == {2, 3, 5, 6, 7, 8, 9, 10}, messages
    assert "email address is missing" in messages[2]
    assert "“not-an-email” is not a valid email address" in messages[3]
    assert "already on line 4" in messages[5]
    assert "country “Atlantis” is not known" in messages[6]
    assert "organisation “Ministry of Magic” in Kenya is not known" in messages[7]
    assert "country is missing" in messages[8]
    assert "cohort “Cohort Z” does not exist" in messages[9]
    assert "organisation is missing" in messages[10]
    page = preview_text(client, preview)
    for line in messages:
        assert f"Line {line}:" in page
    assert "Nothing was imported" in page
    assert "Upload a corrected file" in page
    assert '<button type="submit">Import' not in page  # a refused file cannot be confirmed
    # Confirming a refused file is refused too, and nothing is written.
    response = client.post(
        reverse("programmes:import_preview", args=[world.programme.pk, preview.pk])
    )
    assert response.status_code == 302
    nothing_written(world, before)


def test_the_55_row_file_previews_then_imports_then_reimports_as_updates(
    client: Client, world: World, django_capture_on_commit_callbacks: object
) -> None:
    content = (DATA / "peers_55_good.csv").read_bytes()
    before = counts()
    preview = upload(client, world, "peers.csv", content, create_organisations="on")
    assert preview.status == PeerImport.Status.PREVIEW, preview.problems
    assert len(preview.rows) == 55
    page = preview_text(client, preview)
    assert "55 new peers will be invited" in page
    assert "Organisations that will be created" in page
    nothing_written(world, before)  # the preview writes no peer

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            reverse("programmes:import_preview", args=[world.programme.pk, preview.pk])
        )
    assert response.status_code == 302
    invited = Invitation.objects.filter(programme=world.programme, role=Role.PEER)
    assert invited.count() == 55
    assert len({i.organisation.country for i in invited}) == 33
    assert invited.filter(cohort=world.cohort).count() == 30
    assert Nomination.objects.filter(programme=world.programme).count() == 55
    assert len(mail.outbox) == 55
    assert (
        Invitation.objects.get(email="peer09@treasury-network.example.org").organisation.country
        == "XK"
    )

    # The same file again: every row is an update, nobody is duplicated, no new email.
    mail.outbox.clear()
    again = upload(client, world, "peers.csv", content)
    assert again.status == PeerImport.Status.PREVIEW, again.problems
    assert all(row["updates_existing"] for row in again.rows)
    assert "55 peers already in the programme will be updated" in preview_text(client, again)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(reverse("programmes:import_preview", args=[world.programme.pk, again.pk]))
    assert Invitation.objects.filter(programme=world.programme, role=Role.PEER).count() == 55
    assert len(mail.outbox) == 0
    # A preview is committed once only.
    with pytest.raises(services.StageOneError):
        services.commit_peer_import(peer_import=again, user=world.facilitator)


def test_reimport_updates_a_peer_who_has_joined(world: World) -> None:
    csv = HEADER + f"{world.peer.email},Renamed,{world.other_organisation.name},Kenya\n"
    preview = services.preview_peer_import(
        programme=world.programme,
        uploaded_by=world.facilitator,
        upload=io.BytesIO(csv.encode()),
        name="p.csv",
    )
    assert preview.status == PeerImport.Status.PREVIEW, preview.problems
    assert preview.rows[0]["updates_existing"]
    services.commit_peer_import(peer_import=preview, user=world.facilitator)
    membership = Membership.objects.get(user=world.peer, programme=world.programme, role="peer")
    assert membership.organisation == world.other_organisation
    assert Membership.objects.filter(user=world.peer, programme=world.programme).count() == 1


def test_xlsx_is_read_like_csv(world: World) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Email", "Name", "Organization", "Country"])
    sheet.append(["ama@example.org", "Ama Mensah", "Ministry of Finance", "GHA"])
    sheet.append(["bad-address", "Bad", "Ministry of Finance", "Ghana"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = parse_peer_file(buffer, name="peers.xlsx", programme=world.programme)
    assert [row.email for row in result.rows] == ["ama@example.org"]
    assert result.rows[0].country == "GH"
    assert [p.line for p in result.problems] == [3]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("peers.csv", b"", "The file is empty."),
        ("peers.csv", b"\n\n ,,\n", "The file is empty."),
        ("peers.csv", HEADER.encode(), "header row but no peers"),
        ("peers.csv", b"mail,who\nx@example.org,X\n", "Missing: email, full_name"),
        (
            "peers.csv",
            HEADER.encode() + "a@example.org,Zoë,Ministry of Finance,GH\n".encode("latin-1"),
            "not in UTF-8 encoding (the first unreadable character is on line 2)",
        ),
        ("peers.pdf", b"%PDF-1.4 something", "Only CSV (.csv) and Excel (.xlsx)"),
        ("peers.xlsx", b"email,full_name\n", "named .xlsx but is not an Excel workbook"),
        ("peers.xlsx", b"PK\x03\x04 broken zip", "cannot be opened as an Excel workbook"),
        ("peers.csv", b"x" * (MAX_IMPORT_BYTES + 10), "The file is too big"),
    ],
)
def test_whole_file_problems_are_said_in_plain_words(
    client: Client, world: World, name: str, content: bytes, expected: str
) -> None:
    before = counts()
    preview = upload(client, world, name, content)
    assert preview.status == PeerImport.Status.REFUSED
    assert any(expected in p["message"] for p in preview.problems), preview.problems
    assert expected.split("(")[0].strip() in preview_text(client, preview)
    nothing_written(world, before)


def test_unknown_organisations_are_errors_unless_creation_is_asked(world: World) -> None:
    csv = HEADER + "n@example.org,New Person,Court of Audit,Peru\n"
    refused = parse_peer_file(io.BytesIO(csv.encode()), name="p.csv", programme=world.programme)
    assert not refused.ok and "Court of Audit" in refused.problems[0].message
    accepted = parse_peer_file(
        io.BytesIO(csv.encode()),
        name="p.csv",
        programme=world.programme,
        create_organisations=True,
    )
    assert accepted.ok and accepted.rows[0].new_organisation


def test_all_or_nothing_when_the_commit_fails_half_way(world: World) -> None:
    csv = (
        HEADER
        + "first@example.org,First,Ministry of Finance,GH\n"
        + "second@example.org,Second,National Treasury,KE\n"
    )
    preview = services.preview_peer_import(
        programme=world.programme,
        uploaded_by=world.facilitator,
        upload=io.BytesIO(csv.encode()),
        name="p.csv",
    )
    assert preview.status == PeerImport.Status.PREVIEW
    before = counts()
    # The second row's organisation disappears between the preview and the commit.
    Organisation.objects.filter(name="National Treasury").update(name="Treasury (renamed)")
    with pytest.raises(services.StageOneError, match="Line 3"):
        services.commit_peer_import(peer_import=preview, user=world.facilitator)
    assert counts() == before
    preview.refresh_from_db()
    assert preview.status == PeerImport.Status.PREVIEW


def test_a_preview_belongs_to_whoever_uploaded_it(client: Client, world: World) -> None:
    preview = upload(client, world, "peers.csv", (DATA / "peers_bad_rows.csv").read_bytes())
    client.force_login(world.admin)
    url = reverse("programmes:import_preview", args=[world.programme.pk, preview.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("text", "code"),
    [("GH", "GH"), ("gha", "GH"), ("Ghana", "GH"), ("Kosovo", "XK"), ("Turkey", "TR"), ("x", None)],
)
def test_country_codes_and_english_names(text: str, code: str | None) -> None:
    assert country_code(text) == code


def test_stale_previews_are_purged_and_imported_rows_cleared(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from programmes.tasks import purge_stale_peer_imports

    old = timezone.now() - timedelta(days=3)
    stale = PeerImport.objects.create(
        programme=world.programme, uploaded_by=world.facilitator, filename="a.csv", rows=[{"x": 1}]
    )
    done = PeerImport.objects.create(
        programme=world.programme,
        uploaded_by=world.facilitator,
        filename="b.csv",
        status=PeerImport.Status.COMMITTED,
        committed_at=old,
        rows=[{"x": 1}],
    )
    fresh = PeerImport.objects.create(
        programme=world.programme, uploaded_by=world.facilitator, filename="c.csv"
    )
    PeerImport.objects.filter(pk__in=[stale.pk, done.pk]).update(created_at=old)
    assert purge_stale_peer_imports.delay().get() == 2
    assert not PeerImport.objects.filter(pk=stale.pk).exists()
    done.refresh_from_db()
    assert done.rows == [] and done.status == PeerImport.Status.COMMITTED
    assert PeerImport.objects.filter(pk=fresh.pk).exists()
    assert purge_stale_peer_imports.delay().get() == 0  # idempotent


def test_moving_a_peer_to_another_organisation_drops_the_old_authorisation(world: World) -> None:
    nomination = Nomination.objects.create(
        programme=world.programme, organisation=world.organisation, email=world.peer.email
    )
    services.authorise_nomination(nomination=nomination, user=world.sponsor, signed_name="S")
    same = HEADER + f"{world.peer.email},Pat,{world.organisation.name},GH\n"
    moved = HEADER + f"{world.peer.email},Pat,{world.other_organisation.name},KE\n"
    for content, authorised in ((same, True), (moved, False)):
        preview = services.preview_peer_import(
            programme=world.programme,
            uploaded_by=world.facilitator,
            upload=io.BytesIO(content.encode()),
            name="p.csv",
        )
        services.commit_peer_import(peer_import=preview, user=world.facilitator)
        nomination.refresh_from_db()
        assert nomination.is_authorised is authorised
    assert nomination.organisation == world.other_organisation
