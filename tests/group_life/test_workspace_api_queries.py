"""The API's list of workspaces reads a page of groups in a number of queries that does not grow
with the number of groups, and still shows each group's members, history, meetings, end product
and explanation (organisations named)."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from group_life.models import EndProduct, GroupMeeting, GroupWorkspace, MeetingSlot, ProblemDraft
from matching import engine
from matching.models import Group, GroupMember, MatchingRun
from peerlearn.roles import Role
from peerlearn.users.models import User
from tests.factories import (
    CohortFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _programme_with_groups(groups: int) -> User:
    """A published run of ``groups`` groups of three, each with two drafts, a meeting slot, a
    meeting held and an end product; returns the facilitator."""
    programme = ProgrammeFactory()
    cohort = CohortFactory(programme=programme)
    facilitator = UserFactory()
    MembershipFactory(user=facilitator, programme=programme, role=Role.FACILITATOR)
    run = MatchingRun.objects.create(
        cohort=cohort,
        strategy="problem",
        options=engine.Options().to_dict(),
        status=MatchingRun.Status.DONE,
        progress=1.0,
        published_at=timezone.now(),
    )
    for number in range(groups):
        organisation = OrganisationFactory(name=f"Treasury {number}")
        reason = {
            "template": "All members work for {organisation}.",
            "params": {"organisation": organisation.pk},
        }
        group = Group.objects.create(
            run=run, label=f"G{number:02}", explanation={"reasons": [reason]}
        )
        members = []
        for _ in range(3):
            peer = UserFactory()
            MembershipFactory(
                user=peer,
                programme=programme,
                role=Role.PEER,
                cohort=cohort,
                organisation=organisation,
            )
            GroupMember.objects.create(run=run, group=group, user=peer)
            members.append(peer)
        first = ProblemDraft.objects.create(group=group, text="Arrears", author=members[0])
        ProblemDraft.objects.create(group=group, text="Arrears, sharper", author=members[1])
        GroupWorkspace.objects.create(group=group, distilled=first, on_progress_board=True)
        MeetingSlot.objects.create(
            group=group,
            every=MeetingSlot.Every.WEEK,
            weekday=MeetingSlot.Weekday.TUESDAY,
            time=time(9),
            starts_on=date(2026, 5, 5),
        )
        GroupMeeting.objects.create(group=group, held_on=date(2026, 5, 5))
        EndProduct.objects.create(
            group=group, title="Roadmap", text="Steps", submitted_at=timezone.now()
        )
    return facilitator


def _list(client: Client, facilitator: User) -> tuple[int, list[dict[str, object]]]:
    client.force_login(facilitator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("matching-workspace-list"))
    assert response.status_code == 200
    return len(queries.captured_queries), response.json()["results"]


def test_the_list_of_workspaces_costs_the_same_queries_for_more_groups(client: Client) -> None:
    few, few_rows = _list(client, _programme_with_groups(2))
    many, many_rows = _list(client, _programme_with_groups(9))
    assert (len(few_rows), len(many_rows)) == (2, 9)
    assert many == few
    row = many_rows[4]
    assert row["explanation"] == "All members work for Treasury 4."
    assert len(row["members"]) == 3  # type: ignore[arg-type]
    history = row["problem_history"]
    assert [draft["text"] for draft in history] == ["Arrears, sharper", "Arrears"]  # type: ignore[union-attr,index]
    assert row["distilled"] is not None and row["on_progress_board"] is True
    assert row["meetings_held"] == ["2026-05-05"]
    assert row["end_product"]["title"] == "Roadmap"  # type: ignore[index]
    assert len(row["meeting_slots"]) == 1  # type: ignore[arg-type]
