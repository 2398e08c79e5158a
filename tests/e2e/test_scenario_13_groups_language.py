"""Groups whose members can talk to each other: a facilitator moves a peer into a colleague's
group and is warned by name, publication lists what is wrong and refuses a group below the
minimum until confirmed, every peer is emailed their group, and a peer sees the addresses of
their own group and not those of another group."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from matching import services
from matching.models import GroupMember, MatchingRun
from peerlearn.roles import Role
from programmes.models import Programme
from tests.e2e.conftest import log_in
from tests.factories import (
    CohortFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
)
from tests.matching.factories import answers, finished_run, theme_by_statement

pytestmark = [pytest.mark.e2e, pytest.mark.service]

PASSWORD = "peerlearn-demo"


@pytest.fixture
def cohort_of_eleven(transactional_db: None) -> dict[str, Any]:
    """Eleven peers working in English; two of them (Ana, Bo) from the same ministry."""
    programme: Programme = ProgrammeFactory(name="Treasury Network")
    cohort = CohortFactory(programme=programme, name="Cohort A")
    facilitator = UserFactory(email="fac@example.org", full_name="Fay Facilitator")
    facilitator.set_password(PASSWORD)
    facilitator.save()
    EmailAddress.objects.create(
        user=facilitator, email=facilitator.email, verified=True, primary=True
    )
    MembershipFactory(user=facilitator, programme=programme, role=Role.FACILITATOR)
    ministry = OrganisationFactory(name="Ministry of Finance", country="GH")
    survey = services.ensure_survey(cohort=cohort)
    peers = []
    names = ["Ana", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ida", "Jo", "Kim"]
    for index, name in enumerate(names):
        organisation = ministry if index < 2 else OrganisationFactory(country="KE")
        user = UserFactory(email=f"{name.lower()}@example.org", full_name=f"{name} Peer")
        user.set_password(PASSWORD)
        user.save()
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        MembershipFactory(
            user=user, programme=programme, role=Role.PEER, cohort=cohort, organisation=organisation
        )
        theme = "Procurement" if index % 2 == 0 else "Payroll"
        services.submit_intake(
            survey=survey,
            user=user,
            answers={**answers([theme, theme, theme], index), "languages": ["en"]},
        )
        peers.append(user)
    theme_by_statement(survey)
    run = finished_run(cohort)
    return {"programme": programme, "cohort": cohort, "run": run, "peers": peers}


def test_move_warns_publication_confirms_emails_and_contacts(
    page: Any, browser: Any, live_server: Any, cohort_of_eleven: dict[str, Any]
) -> None:
    programme = cohort_of_eleven["programme"]
    run: MatchingRun = cohort_of_eleven["run"]
    ana, bo = cohort_of_eleven["peers"][:2]
    place = {m.user_id: m.group for m in GroupMember.objects.filter(run=run)}
    assert place[ana.pk] != place[bo.pk]  # one per organisation
    target = place[ana.pk]
    source = place[bo.pk]
    # Bo goes from the smaller group to Ana's, so that one group falls below the minimum.
    if source.members.count() > target.members.count():
        ana, bo, target, source = bo, ana, source, target

    page.set_default_timeout(60_000)  # CI machines and shared cores are slow
    page.set_default_navigation_timeout(60_000)
    log_in(page, "fac@example.org", PASSWORD)
    page.goto(f"/matching/{programme.pk}/runs/{run.pk}/")
    expect(page.get_by_role("heading", name="Run 1 of Cohort A")).to_be_visible()
    card = page.locator(f"#group-{target.pk}")
    card.get_by_label(f"Move a peer into group {target.label}").fill(bo.email)
    card.get_by_role("button", name="Move here").click()

    warning = page.locator("#review-feedback").get_by_role("alert")
    expect(warning).to_contain_text(f"{bo.full_name} would join {ana.full_name}")
    expect(warning).to_contain_text("Ministry of Finance")
    assert GroupMember.objects.get(run=run, user=bo).group_id == source.pk  # not moved yet
    warning.get_by_role("button", name="Move anyway").click()
    expect(page.locator(f"#group-{target.pk}")).to_contain_text(bo.full_name)
    expect(page.locator("#constraint-report")).to_contain_text("Ministry of Finance")
    assert GroupMember.objects.get(run=run, user=bo).group_id == target.pk

    page.get_by_role("link", name="Check and publish these groups").click()
    problems = page.locator(".publish-problems")
    expect(problems).to_contain_text(f"Group {source.label} has 4 peers")
    expect(problems).to_contain_text("The smallest allowed is 5")
    page.get_by_role("button", name="Publish these groups").click()
    expect(page.get_by_role("alert").filter(has_text="Tick the box")).to_be_visible()
    run.refresh_from_db()
    assert run.published_at is None
    assert not mail.outbox

    page.get_by_label("I have read what is wrong above").check()
    page.get_by_role("button", name="Publish these groups").click()
    expect(page.get_by_text("Groups published")).to_be_visible()
    run.refresh_from_db()
    assert run.published_at is not None
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(p.email for p in cohort_of_eleven["peers"])
    to_bo = next(m for m in mail.outbox if m.to == [bo.email])
    assert f"group {target.label}" in to_bo.body and ana.full_name in to_bo.body
    expect(page.get_by_text("0 of 11 peers have opened")).to_be_visible()

    # Bo sees the members of their group with their addresses, not the other group's.
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(60_000)
    peer_page = context.new_page()
    log_in(peer_page, bo.email, PASSWORD)
    peer_page.goto(f"/matching/{programme.pk}/my-group/")
    expect(peer_page.locator("#group-notice")).to_be_visible()
    contacts = peer_page.locator(".group-contacts")
    mates = GroupMember.objects.filter(group=target).select_related("user")
    others = GroupMember.objects.filter(group=source).select_related("user")
    for mate in mates:
        expect(contacts).to_contain_text(mate.user.email)
    body = peer_page.content()
    for other in others:
        assert other.user.email not in body
    link = peer_page.get_by_role("link", name="Email my group")
    href = link.get_attribute("href") or ""
    assert ana.email in href and bo.email not in href
    context.close()
    page.reload()
    expect(page.get_by_text("1 of 11 peers have opened")).to_be_visible()
