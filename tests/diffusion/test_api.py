"""The diffusion API: scoped lists, creation by peers, and a clean schema."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from diffusion.models import ReportBack
from tests.conftest import World
from tests.diffusion.factories import ReportBackFactory


def _titles(client: Client) -> set[str]:
    response = client.get(reverse("diffusion-report-back-list"))
    assert response.status_code == 200
    return {row["title"] for row in response.json()["results"]}


def test_lists_are_scoped_by_role_and_organisation(world: World, client: Client) -> None:
    ReportBackFactory(
        programme=world.programme, peer=world.peer, organisation=world.organisation, title="own"
    )
    ReportBackFactory(
        programme=world.programme,
        peer=world.peer_other_organisation,
        organisation=world.other_organisation,
        title="other organisation",
    )
    ReportBackFactory(programme=world.other_programme, title="other programme")
    client.force_login(world.peer)
    assert _titles(client) == {"own"}
    client.force_login(world.sponsor)
    assert _titles(client) == {"own"}
    client.force_login(world.manager)
    assert _titles(client) == {"own", "other organisation"}
    client.force_login(world.outsider)
    assert _titles(client) == {"other programme"}


def test_a_peer_logs_a_report_back_through_the_api(
    world: World, client: Client, django_capture_on_commit_callbacks: object
) -> None:
    client.force_login(world.peer)
    data = {
        "programme": world.programme.pk,
        "title": "Back home",
        "held_on": "2026-05-04",
        "audience": "Cash team",
        "audience_size": 1,
        "level": "team",
        "attendee_emails": ["a@x.org", "b@x.org"],
    }
    refused = client.post(
        reverse("diffusion-report-back-list"), data, content_type="application/json"
    )
    assert refused.status_code == 400 and "attendee_emails" in refused.json()
    assert not ReportBack.objects.exists()
    data["audience_size"] = 4
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        created = client.post(
            reverse("diffusion-report-back-list"), data, content_type="application/json"
        )
    assert created.status_code == 201
    assert created.json()["people_named"] == 2


def test_reach_endpoint(world: World, client: Client) -> None:
    ReportBackFactory(programme=world.programme, peer=world.peer, audience_size=7)
    client.force_login(world.manager)
    body = client.get(reverse("diffusion-reach-detail", args=[world.programme.pk])).json()
    assert body["reach_by_depth"] == {"1": 7}
    assert body["peers_diffusing"] == 1 and body["people_reached"] == 7


def test_schema_has_the_diffusion_endpoints_without_warnings() -> None:
    out, err = StringIO(), StringIO()
    call_command("spectacular", "--validate", stdout=out, stderr=err)
    schema = out.getvalue()
    for path in ("/api/v1/diffusion/report-backs/", "/api/v1/diffusion/reach/{id}/"):
        assert path in schema
    assert "diffusion" not in err.getvalue().lower(), err.getvalue()
