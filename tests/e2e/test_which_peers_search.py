"""A peer answers the "which peers" question in the browser: the members of their group are
listed, a peer of another group is found by typing part of their name and ticked with the
keyboard, and the submitted answer holds both; the page passes the accessibility checks, on a
phone in Arabic (right to left) too, and the browser refuses nothing under the page's
Content-Security-Policy."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from evaluation.builtin import ensure_builtin_instruments
from evaluation.models import Answer, Instrument, Response, Wave
from evaluation.services import schedule_wave
from matching import engine
from matching.models import Group, GroupMember, MatchingRun
from matching.selectors import group_mate_ids
from peerlearn.roles import Role
from peerlearn.users.models import User
from programmes.demo import DEMO_PROGRAMME
from programmes.models import Membership, Programme
from tests.e2e.a11y import audit
from tests.e2e.conftest import log_in
from tests.e2e.test_content_security_policy import watch_csp

pytestmark = [pytest.mark.e2e]

QUESTION = "Which peers would you like to keep working with?"


def publish_two_groups(cohort: Any, me: User, others: list[User]) -> None:
    """A published run of two groups: ``me`` with the first two of ``others``, then the rest."""
    run = MatchingRun.objects.create(
        cohort=cohort,
        number=MatchingRun.objects.filter(cohort=cohort).count() + 1,
        strategy="problem",
        options=engine.Options().to_dict(),
        status=MatchingRun.Status.DONE,
        progress=1.0,
        published_at=timezone.now(),
    )
    mine = Group.objects.create(run=run, label="G01")
    theirs = Group.objects.create(run=run, label="G02")
    for index, person in enumerate([me, *others]):
        GroupMember.objects.create(run=run, group=mine if index < 3 else theirs, user=person)


def test_a_peer_picks_a_peer_of_another_group_by_searching(page: Any, demo: Any) -> None:
    ensure_builtin_instruments()
    programme = Programme.objects.get(name=DEMO_PROGRAMME)
    me = User.objects.get(email="peer01@demo.peerlearn.org")
    cohort = Membership.objects.get(user=me, programme=programme, role=Role.PEER).cohort
    today = timezone.localdate()
    wave = schedule_wave(
        programme=programme,
        instrument=Instrument.objects.get(family="continuing-engagement", is_current=True),
        kind=Wave.Kind.END_OF_EVENT,
        cohort=cohort,
        opens_on=today - timedelta(days=1),
        due_on=today + timedelta(days=13),
        closes_on=today + timedelta(days=27),
    )
    cohort_peers = list(
        User.objects.filter(
            memberships__programme=programme,
            memberships__role=Role.PEER,
            memberships__cohort=cohort,
        ).order_by("full_name")
    )
    if not group_mate_ids(me, programme.pk) - {me.pk}:
        publish_two_groups(cohort, me, [p for p in cohort_peers if p != me])
    mates = group_mate_ids(me, programme.pk) - {me.pk}
    assert mates
    mate = User.objects.filter(pk__in=mates).order_by("full_name").first()
    other = (
        User.objects.filter(
            memberships__programme=programme,
            memberships__role=Role.PEER,
            memberships__cohort=cohort,
        )
        .exclude(pk__in=mates | {me.pk})
        .order_by("full_name")
        .first()
    )
    assert mate is not None and other is not None

    refused = watch_csp(page.context)
    log_in(page, me.email)
    page.goto(f"/evaluation/waves/{wave.pk}/answer/")
    question = page.get_by_role("group", name=QUESTION)
    question.get_by_role("checkbox", name=str(mate.full_name), exact=False).check()
    assert question.get_by_role("checkbox", name=str(other.full_name), exact=False).count() == 0

    search = page.get_by_label("Find another peer by name")
    search.fill(other.full_name.split()[-1][:4])
    found = question.get_by_role("checkbox", name=str(other.full_name), exact=False)
    found.wait_for()
    found.focus()
    page.keyboard.press("Space")
    assert found.is_checked()
    page.get_by_text("Draft saved at").wait_for()
    report = audit(page, weight=False)
    assert not report.problems, str(report)

    # a second search keeps the peer ticked in the first
    search.fill("zzzz")
    page.get_by_text("in their name").wait_for()
    assert question.get_by_role("checkbox", name=str(other.full_name), exact=False).is_checked()

    for index in (0, 1):
        page.get_by_role("group", name="How strong is your desire", exact=False).nth(
            index
        ).get_by_label("4 ·", exact=False).check()
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_text("Thank you: your answers are submitted.").wait_for()
    answer = Answer.objects.get(
        response__wave=wave, response__respondent=me, item__code="which_peers"
    )
    assert answer.selected == sorted([mate.pk, other.pk])
    assert answer.response.status == Response.Status.SUBMITTED

    # Arabic, right to left, on a phone: another peer is found and the page passes the checks.
    third = (
        User.objects.filter(
            memberships__programme=programme,
            memberships__role=Role.PEER,
            memberships__cohort=cohort,
        )
        .exclude(pk__in=mates | {me.pk, other.pk})
        .order_by("full_name")
        .first()
    )
    assert third is not None
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"/evaluation/waves/{wave.pk}/answer/?lang=ar")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator(f"#item-which_peers-found input[value='{third.pk}']").count() == 0
    page.locator("#item-which_peers-find").fill(third.full_name.split()[-1][:4])
    page.locator(f"#item-which_peers-found input[value='{third.pk}']").wait_for()
    assert page.locator(f"#item-which_peers-found input[value='{other.pk}']").is_checked()
    report = audit(page, weight=False)
    assert not report.problems, str(report)
    assert refused == []
