"""Working languages from the intake to the groups, the review's warnings before a move that
breaks a rule, publication after confirmation with a notice and an email per peer, and who sees
whose contact details."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from matching import selectors, services
from matching.models import GroupMember, MatchingRun, PublicationNotice
from peerlearn.roles import Role
from programmes.models import Nomination
from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.matching.factories import answers, finished_run, theme_by_statement


def _peers(world: World, languages: list[list[str]], *, same_org: int = 0) -> list[Any]:
    """Peers of the cohort with intake done, each speaking the languages given; the first
    ``same_org`` of them from one organisation."""
    survey = services.ensure_survey(cohort=world.cohort)
    shared = OrganisationFactory(name="Ministry of Economy", country="GH")
    users = []
    for index, spoken in enumerate(languages):
        organisation = shared if index < same_org else OrganisationFactory(country="KE")
        user = UserFactory(email=f"l{index}@example.org", full_name=f"Peer {index:02d}")
        MembershipFactory(
            user=user,
            programme=world.programme,
            role=Role.PEER,
            cohort=world.cohort,
            organisation=organisation,
        )
        theme = "Procurement" if index % 2 == 0 else "Payroll"
        services.submit_intake(
            survey=survey,
            user=user,
            answers={**answers([theme, theme, theme], index), "languages": spoken},
        )
        users.append(user)
    theme_by_statement(survey)
    return users


def test_groups_share_a_language_and_the_explanation_names_it(world: World) -> None:
    users = _peers(world, [["en"]] * 6 + [["fr"]] * 6)
    run = finished_run(world.cohort)
    for group in run.groups.all():
        ids = set(group.members.values_list("user_id", flat=True))
        codes = {("en" if users.index(u) < 6 else "fr") for u in users if u.pk in ids}
        assert len(codes) == 1
        with translation.override("fr"):
            text = group.explanation_text
        assert "Tous les membres travaillent en" in text
        assert ("Anglais" in text) != ("Français" in text)


def test_intake_offers_languages_by_name_and_prefills_from_the_import(
    world: World, client: Client
) -> None:
    survey = services.ensure_survey(cohort=world.cohort)
    services.update_survey(survey=survey, factors=["languages"], introduction="")
    Nomination.objects.create(
        programme=world.programme,
        organisation=world.organisation,
        email=world.peer.email,
        languages=["fr", "ru"],
    )
    client.force_login(world.peer)
    page = client.get(
        reverse("matching:intake", args=[world.programme.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert '<option value="ru" selected>Russe</option>' in page
    assert '<option value="fr" selected>Français</option>' in page
    assert '<option value="en">Anglais</option>' in page
    peer = selectors.cohort_peers(world.cohort, user_ids=[world.peer.pk])[0]
    assert peer.languages == ("fr", "ru")  # the import, until the peer answers
    posted = {f"challenge_{i}": f"Problem number {i} of the ministry" for i in range(3)}
    response = client.post(
        reverse("matching:intake", args=[world.programme.pk]),
        {**posted, "languages": ["en", "xx"]},
    )
    assert response.status_code == 400  # "xx" is not a language: said next to the field
    assert "xx" in response.content.decode()
    client.post(
        reverse("matching:intake", args=[world.programme.pk]), {**posted, "languages": ["en", "pt"]}
    )
    peer = selectors.cohort_peers(world.cohort, user_ids=[world.peer.pk])[0]
    assert peer.languages == ("en", "pt")


def test_run_form_keeps_sets_by_email_and_refuses_unknown_addresses(
    world: World, client: Client
) -> None:
    users = _peers(world, [["en"]] * 10)
    client.force_login(world.facilitator)
    url = reverse("matching:run_new", args=[world.programme.pk, world.cohort.pk])
    base = {
        "strategy": "problem",
        "min_size": 5,
        "max_size": 6,
        "seed": 0,
        "weight_problem": 1,
        "weight_role": 0,
        "weight_task": 0,
        "weight_context": 0,
        "one_per_organisation": "on",
    }
    refused = client.post(url, {**base, "keep_apart": f"{users[0].email}, nobody@example.org"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "nobody@example.org" in body and "What you typed is kept" in body
    assert not MatchingRun.objects.exists()
    client.post(
        url,
        {
            **base,
            "keep_apart": f"{users[0].email}, {users[1].email.upper()}",
            "keep_together": f"{users[2].email}; {users[3].email}",
        },
    )
    run = MatchingRun.objects.get()
    constraints = run.options["constraints"]
    assert constraints["keep_apart"] == [[str(users[0].pk), str(users[1].pk)]]
    assert constraints["keep_together"] == [[str(users[2].pk), str(users[3].pk)]]
    assert constraints["common_language"] is False  # the box was not ticked
    assert run.number == 1 and str(run) == "Run 1 of Cohort A"
    found = client.get(
        reverse("matching:peer_search", args=[world.programme.pk, world.cohort.pk])
        + "?q=Peer 03&target=id_keep_apart"
    ).content.decode()
    assert users[3].email in found and users[4].email not in found


def test_a_move_that_breaks_a_rule_is_named_and_needs_confirmation(
    world: World, client: Client
) -> None:
    users = _peers(world, [["en"]] * 6 + [["fr"]] * 6)
    run = finished_run(world.cohort)
    french = users[6]
    english_group = GroupMember.objects.get(run=run, user=users[0]).group
    source = GroupMember.objects.get(run=run, user=french).group
    client.force_login(world.facilitator)
    url = reverse("matching:run_move", args=[world.programme.pk, run.pk])
    response = client.post(
        url, {"peer": "Peer 06", "to_group": english_group.pk}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Peer 06 (French) would share no working language" in body
    assert "English" in body and "Move anyway" in body
    assert GroupMember.objects.get(run=run, user=french).group == source  # not moved
    # Without scripts: a page that asks for the confirmation.
    plain = client.post(url, {"peer": french.email, "to_group": english_group.pk})
    assert plain.status_code == 409 and "Move anyway" in plain.content.decode()
    done = client.post(
        url,
        {"peer": french.email, "to_group": english_group.pk, "confirm": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 200
    assert GroupMember.objects.get(run=run, user=french).group == english_group
    run.refresh_from_db()
    assert any(
        i["code"] == "language_none" and english_group.label in i["groups"]
        for i in run.report_issues
    )
    assert "shares no working language" in done.content.decode()  # the report, updated
    # Unknown or ambiguous peers are said in plain words.
    unknown = client.post(url, {"peer": "Nobody", "to_group": source.pk}, HTTP_HX_REQUEST="true")
    assert unknown.status_code == 400 and "No peer of this run" in unknown.content.decode()
    several = client.post(url, {"peer": "Peer 0", "to_group": source.pk}, HTTP_HX_REQUEST="true")
    assert several.status_code == 400 and "Several peers match" in several.content.decode()


def test_explanations_and_warnings_name_organisations_never_ids(world: World) -> None:
    users = _peers(world, [["en"]] * 12, same_org=2)
    run = finished_run(world.cohort)
    a, b = (GroupMember.objects.get(run=run, user=u).group for u in users[:2])
    assert a != b
    with pytest.raises(services.MoveNeedsConfirmation) as refused:
        services.move_peer(run=run, user_id=users[1].pk, to_group=a, moved_by=None)
    assert "Ministry of Economy" in str(refused.value)
    services.move_peer(run=run, user_id=users[1].pk, to_group=a, moved_by=None, confirmed=True)
    a.refresh_from_db()
    organisation_id = str(users[0].memberships.get().organisation_id)
    assert "Ministry of Economy" in a.explanation_text
    assert f": {organisation_id}" not in a.explanation_text


def test_publication_is_confirmed_then_each_peer_is_told(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    users = _peers(world, [["en"]] * 11)
    users[0].preferred_language = "fr"
    users[0].save()
    run = finished_run(world.cohort)
    small = min(run.groups.all(), key=lambda g: g.members.count())
    big = max(run.groups.all(), key=lambda g: g.members.count())
    mover = small.members.first()
    services.move_peer(run=run, user_id=mover.user_id, to_group=big, moved_by=None, confirmed=True)
    client.force_login(world.facilitator)
    url = reverse("matching:run_publish", args=[world.programme.pk, run.pk])
    page = client.get(url).content.decode()
    assert f"Group {small.label} has 4 peers." in page
    refused = client.post(url)
    assert refused.status_code == 400 and "Tick the box" in refused.content.decode()
    run.refresh_from_db()
    assert run.published_at is None and not mail.outbox
    with pytest.raises(services.MatchingError):
        services.publish_run(run=run, published_by=world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"confirm": "on"}).status_code == 302
    run.refresh_from_db()
    assert run.published_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert PublicationNotice.objects.filter(run=run, emailed_at__isnull=False).count() == 11
    assert services.send_publication_emails(run_id=run.pk) == 0  # once only
    # The peer opens their group: the facilitator sees it.
    client.force_login(users[3])
    page = client.get(reverse("matching:my_group", args=[world.programme.pk])).content.decode()
    assert 'id="group-notice"' in page
    assert PublicationNotice.objects.get(user=users[3]).opened_at is not None
    client.force_login(world.facilitator)
    detail = client.get(reverse("matching:run_detail", args=[world.programme.pk, run.pk]))
    assert "1 of 11 peers have opened" in detail.content.decode()


def test_group_members_see_each_others_addresses_and_others_do_not(
    world: World, client: Client
) -> None:
    users = _peers(world, [["en"]] * 12)
    run = finished_run(world.cohort)
    services.publish_run(run=run, published_by=world.facilitator, confirmed=True)
    mine = GroupMember.objects.get(run=run, user=users[0]).group
    mates = [m.user for m in mine.members.select_related("user") if m.user != users[0]]
    strangers = [u for u in users if u not in mates and u != users[0]]
    mates[0].hide_email = True
    mates[0].save()
    client.force_login(users[0])
    page = client.get(reverse("matching:my_group", args=[world.programme.pk])).content.decode()
    assert all(m.email in page for m in mates[1:])
    assert mates[0].email not in page and "in-app messages only" in page
    assert all(s.email not in page for s in strangers)
    api = client.get(reverse("enrolment-list") + f"?programme={world.programme.pk}").json()
    rows = api["results"] if isinstance(api, dict) else api
    emails = {row["full_name"]: row["email"] for row in rows}
    assert emails[mates[1].full_name] == mates[1].email
    assert emails[mates[0].full_name] is None  # hidden on their profile
    assert all(emails[s.full_name] is None for s in strangers)
    assert emails[users[0].full_name] == users[0].email
    # Staff see every address.
    client.force_login(world.facilitator)
    api = client.get(reverse("enrolment-list") + f"?programme={world.programme.pk}").json()
    rows = api["results"] if isinstance(api, dict) else api
    assert all(row["email"] for row in rows)
