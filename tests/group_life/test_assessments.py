"""Shared assessments: tools, self-assessments, reviews, the benchmark and positive deviance."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from group_life.assessments import selectors, services
from group_life.assessments.models import AssessmentTool, SelfAssessment
from group_life.models import PairRequest
from peerlearn.errors import ServiceError
from tests.conftest import World

LEVELS = (
    "1 | Not published | No budget document is public.\n2 | Partly | Some documents."
    "\n3 | Published | All eight key documents.\n4 | Timely | All, on time."
)


def make_tool(w: World) -> AssessmentTool:
    tool = services.create_tool(programme=w.programme, by=w.facilitator, name="Budget transparency")
    services.add_criterion(
        tool=tool, title="Publication", guidance="Count the documents.", levels=LEVELS
    )
    services.add_criterion(tool=tool, title="Participation", guidance="", levels=LEVELS)
    return tool


def assess(w: World, tool: AssessmentTool, user, scores: list[int], **kwargs) -> SelfAssessment:
    criteria = list(tool.criteria.all())
    return services.submit_self_assessment(
        tool=tool,
        by=user,
        round_number=kwargs.get("round_number", 1),
        scores={c.pk: s for c, s in zip(criteria, scores, strict=True)},
        evidence={criteria[0].pk: "Citizens budget online"},
        named_consent=kwargs.get("named_consent", False),
    )


def test_levels_are_parsed_and_checked() -> None:
    assert services.parse_levels("2 | B\n1 | A | first") == [(1, "A", "first"), (2, "B", "")]
    for bad in ("1 | A", "x | A\n2 | B", "1 | A\n1 | B", "1 |\n2 | B", "1 | A\n99 | B"):
        with pytest.raises(ServiceError):
            services.parse_levels(bad)


def test_self_assessment_needs_a_level_for_every_criterion(world: World) -> None:
    tool = make_tool(world)
    with pytest.raises(ServiceError, match="Participation"):
        services.submit_self_assessment(
            tool=tool,
            by=world.peer,
            round_number=1,
            scores={tool.criteria.first().pk: 2},
            evidence={},
            named_consent=False,
        )
    with pytest.raises(ServiceError, match="level"):
        assess(world, tool, world.peer, [2, 9])
    assert not SelfAssessment.objects.exists()


def test_only_peers_of_an_organisation_self_assess(world: World) -> None:
    tool = make_tool(world)
    with pytest.raises(ServiceError):
        assess(world, tool, world.facilitator, [1, 1])


def test_benchmark_is_anonymous_unless_named_and_marks_the_viewer(world: World) -> None:
    tool = make_tool(world)
    assess(world, tool, world.peer, [1, 2])
    assess(world, tool, world.peer_same_cohort, [4, 3])
    mine = selectors.benchmark(world.peer, tool)
    assert [(p.label, p.value, p.own) for p in mine] == [
        ("Ministry of Finance (yours)", 1.5, True),
        ("Organisation B", 3.5, False),
    ]
    theirs = selectors.benchmark(world.peer_same_cohort, tool)
    assert [p.label for p in theirs] == ["Organisation A", "National Treasury (yours)"]
    assess(world, tool, world.peer_same_cohort, [4, 3], named_consent=True)
    assert [p.label for p in selectors.benchmark(world.peer, tool)][1] == "National Treasury"
    publication = tool.criteria.first()
    assert [p.value for p in selectors.benchmark(world.peer, tool, criterion=publication)] == [1, 4]


def test_benchmark_by_round_and_cohort(world: World) -> None:
    tool = make_tool(world)
    assess(world, tool, world.peer, [1, 1])
    assess(world, tool, world.peer, [3, 3], round_number=2)
    assess(world, tool, world.peer_same_cohort, [3, 3])
    by_round = selectors.benchmark(world.peer, tool, by=selectors.BY_ROUND)
    assert [(p.label, p.value) for p in by_round] == [("Round 1", 2), ("Round 2", 3)]
    by_cohort = selectors.benchmark(world.peer, tool, by=selectors.BY_COHORT, round_number=1)
    assert [(p.label, p.value) for p in by_cohort] == [("Cohort A", 2)]


def test_a_peer_reviews_another_organisation_but_not_their_own(world: World) -> None:
    tool = make_tool(world)
    theirs = assess(world, tool, world.peer_same_cohort, [4, 3])
    mine = assess(world, tool, world.peer, [1, 1])
    criterion = tool.criteria.first()
    review = services.review_assessment(
        assessment=theirs,
        by=world.peer,
        comment="Strong publication record.",
        comments={criterion.pk: "Only seven documents are on time."},
        suggested={criterion.pk: 3},
    )
    assert review.kind == "peer"
    assert review.comments.get().suggested_score == 3
    with pytest.raises(ServiceError):
        services.review_assessment(
            assessment=mine, by=world.peer_other_cohort, comment="Mine", comments={}, suggested={}
        )
    expert = services.review_assessment(
        assessment=mine, by=world.facilitator, comment="See the law", comments={}, suggested={}
    )
    assert expert.kind == "expert"
    # A reviewed round cannot be changed any more.
    with pytest.raises(ServiceError, match="new round"):
        assess(world, tool, world.peer_same_cohort, [1, 1])


def test_positive_deviance_suggests_markedly_better_cohort_mates_and_feeds_pairs(
    world: World,
) -> None:
    tool = make_tool(world)
    publication, participation = list(tool.criteria.all())
    assess(world, tool, world.peer, [1, 3])
    assess(world, tool, world.peer_same_cohort, [4, 3])
    suggestions = selectors.deviance_suggestions(world.peer, tool, publication)
    assert [(s.peer, s.their_score, s.our_score) for s in suggestions] == [
        (world.peer_same_cohort, 4, 1)
    ]
    # Equal scores are not markedly better, and the better one gets no suggestion.
    assert selectors.deviance_suggestions(world.peer, tool, participation) == []
    assert selectors.deviance_suggestions(world.peer_same_cohort, tool, publication) == []
    pairs = selectors.deviance_pairs(tool, publication)
    # In each cohort, the peer of the lower-scoring organisation with the better one's peer.
    assert {(low, high) for low, high, _l, _h in pairs} == {
        (world.peer, world.peer_same_cohort),
        (world.peer_other_cohort, world.peer_other_organisation),
    }
    pair = services.ask_better_peer_to_pair(
        tool=tool, criterion=publication, by=world.peer, peer=world.peer_same_cohort
    )
    assert pair.requested_of == world.peer_same_cohort and "Publication" in pair.purpose
    with pytest.raises(ServiceError):
        services.ask_better_peer_to_pair(
            tool=tool, criterion=participation, by=world.peer, peer=world.peer_same_cohort
        )
    assert PairRequest.objects.count() == 1


def test_benchmark_page_draws_numbers_with_a_dot_in_any_language(
    world: World, client: Client
) -> None:
    tool = make_tool(world)
    assess(world, tool, world.peer, [1, 2])
    assess(world, tool, world.peer_same_cohort, [4, 3])
    client.force_login(world.peer)
    url = reverse("group_life:benchmark", args=[world.programme.pk, tool.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    body = response.content.decode()
    assert response.status_code == 200
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert ">1.5<" in svg and ">3.5<" in svg and "1,5" not in svg
    assert "National Treasury" not in body


def test_self_assessment_page_keeps_the_answers_on_an_error(world: World, client: Client) -> None:
    tool = make_tool(world)
    client.force_login(world.peer)
    publication = tool.criteria.first()
    url = reverse("group_life:self_assess", args=[world.programme.pk, tool.pk])
    response = client.post(
        url, {"round": 1, f"score_{publication.pk}": 2, f"evidence_{publication.pk}": "kept text"}
    )
    assert response.status_code == 400
    assert "kept text" in response.content.decode()
    assert not SelfAssessment.objects.exists()


def test_a_peer_is_asked_to_self_assess_until_it_is_done(world: World) -> None:
    from group_life.next_steps import next_steps

    tool = make_tool(world)

    def step() -> tuple[str, str]:
        found = [s for s in next_steps(world.peer, world.programme) if "Self-assess" in s.title]
        assert len(found) == 1
        return found[0].status, found[0].url

    assert step() == ("todo", reverse("group_life:self_assess", args=[world.programme.pk, tool.pk]))
    assess(world, tool, world.peer, [1, 2])
    assert step() == ("done", reverse("group_life:benchmark", args=[world.programme.pk, tool.pk]))
    assert not [
        s for s in next_steps(world.facilitator, world.programme) if "Self-assess" in s.title
    ]
