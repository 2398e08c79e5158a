"""Scenario 10: a late joiner is placed by the nightly job into a published group without
moving anyone else."""

from __future__ import annotations

from typing import Any

import pytest

from matching import selectors
from matching.demo import extend_demo
from matching.models import GroupMove, MatchingRun
from matching.tasks import place_late_joiners_nightly
from peerlearn.roles import Role
from programmes.models import Membership, Organisation, Programme
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.service]


@pytest.fixture
def demo_published(transactional_db: None) -> Programme:
    from programmes.demo import DEMO_PROGRAMME, load_demo

    load_demo(password="peerlearn-demo", peers=55)
    programme = Programme.objects.get(name=DEMO_PROGRAMME)
    extend_demo(programme)
    return programme


def test_late_joiner_is_placed_by_the_nightly_job(
    page: Any, demo_published: Programme, django_user_model: Any
) -> None:
    programme = demo_published
    page.set_default_timeout(30_000)  # the demo is large; CI machines are slow
    cohort = programme.cohorts.get()
    run = MatchingRun.objects.get(cohort=cohort, published_at__isnull=False)
    before = selectors.current_assignment(run)
    assert len(before) == 55

    late = django_user_model.objects.create_user(
        email="late.joiner@demo.peerlearn.org", password="peerlearn-demo", full_name="Lucia Late"
    )
    organisation, _ = Organisation.objects.get_or_create(
        name="Ministerio de Finanzas Públicas", country="GT"
    )
    Membership.objects.create(
        user=late, programme=programme, role=Role.PEER, cohort=cohort, organisation=organisation
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=late, email=late.email, verified=True, primary=True)

    log_in(page, late.email)
    page.goto(f"/matching/{programme.pk}/my-group/")
    page.get_by_text("Groups are not published yet").wait_for()
    page.goto(f"/matching/{programme.pk}/intake/")
    page.get_by_label("Challenge 1").fill(
        "Tenders are cancelled because only one bidder takes part"
    )
    page.get_by_label("Challenge 2").fill("Procurement plans are not linked to the budget")
    page.get_by_label("Challenge 3").fill("Suppliers say bidding documents are too complex")
    page.get_by_label("What do you want to achieve").fill("Open up competition.")
    page.get_by_label("Your task or policy area").fill("Procurement")
    page.get_by_label("Your formal role").fill("Procurement specialist")
    page.get_by_label("Seniority").select_option("mid")
    page.get_by_label("Career level").select_option("mid")
    page.get_by_label("Education").select_option("master")
    page.get_by_label("Professional affiliation").fill("None")
    page.get_by_label("Your country or region context").fill("Central America")
    page.get_by_label("Your degree of influence").select_option("some")
    page.get_by_label("Where is your reform").select_option("designing")
    page.get_by_label("Languages you can work in").select_option(["es", "en"])
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_text("your answers are saved").wait_for()

    # The job beat runs every night, executed here in the test process.
    assert place_late_joiners_nightly.apply().get() == 1

    after = selectors.current_assignment(run)
    assert {pid: after[pid] for pid in before} == before  # nobody else moved
    assert str(late.pk) in after
    label = after[str(late.pk)]
    sizes: dict[str, int] = {}
    for group_label in after.values():
        sizes[group_label] = sizes.get(group_label, 0) + 1
    assert 5 <= sizes[label] <= 6
    move = GroupMove.objects.get(run=run, user=late)
    assert move.kind == GroupMove.Kind.LATE_JOINER and move.moved_by is None

    page.goto(f"/matching/{programme.pk}/my-group/")
    page.get_by_role("heading", name=f"Your group: {label}").wait_for()
    assert "Lucia Late" in page.inner_text("main")
