"""Rows of the permission matrix for group life and the reflection journal (tests/matrix.py).

The World's peer and ``peer_same_cohort`` share group G01; G02 holds another peer. Reflections
are written by ``peer_same_cohort`` unless a row says otherwise: a private one must answer 404
to everybody, its author's group mates, facilitators, managers and site admins included.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

from django.urls import reverse

from evaluation.models import Visibility
from tests.conftest import World
from tests.group_life.discussion_permission_rows import ROWS as DISCUSSION_ROWS
from tests.group_life.factories import pair, product, published_groups, reflection
from tests.matrix import API_ANON, LOGIN, Row, everyone


def _mine(w: World) -> int:
    return published_groups(w).mine.pk


def _other(w: World) -> int:
    return published_groups(w).other.pk


def _action(name: str, *objects: Callable[[World], int]) -> Callable[[World], str]:
    """The address of an action on my group's workspace (``objects`` make its ids)."""
    return lambda w: reverse(
        f"group_life:{name}", args=[w.programme.pk, _mine(w), *(make(w) for make in objects)]
    )


def _draft(w: World) -> int:
    from group_life.models import ProblemDraft

    return ProblemDraft.objects.create(group=published_groups(w).mine, text="Arrears grow").pk


def _slot(w: World) -> int:
    from group_life.models import MeetingSlot

    return MeetingSlot.objects.create(
        group=published_groups(w).mine,
        every=MeetingSlot.Every.WEEK,
        weekday=0,
        time=time(9, 0),
        duration_minutes=60,
        starts_on=date(2026, 1, 5),
    ).pk


def _pair_action(name: str) -> Callable[[World], str]:
    return lambda w: reverse(f"group_life:{name}", args=[w.programme.pk, pair(w).pk])


def _accepted_pair_action(name: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        item = pair(w)
        item.status = item.Status.ACCEPTED
        item.save(update_fields=["status"])
        return reverse(f"group_life:{name}", args=[w.programme.pk, item.pk])

    return url


def _note(w: World) -> int:
    from group_life.models import BlindSideNote

    group = published_groups(w).mine
    return BlindSideNote.objects.create(group=group, quadrant="know_know", text="Cash plans").pk


def _product_with_file(w: World) -> None:
    from django.core.files.base import ContentFile

    item = product(w)
    if not item.file:
        item.file.save("roadmap.pdf", ContentFile(b"%PDF-1.4 roadmap"), save=True)


WORKSPACE = everyone(403, anonymous=LOGIN, outsider=404, peer=200, facilitator=200, admin=200)
# A site admin is a superuser: Django grants every permission, so only scoping stops them.
MEMBER_POST = everyone(403, anonymous=LOGIN, outsider=404, peer=302, admin=302)
STAFF_POST = everyone(403, anonymous=LOGIN, outsider=404, facilitator=302, admin=302)
# Only the peer who was asked answers; the pair's two peers plan it. Others see 404 or 403.
ANSWER = everyone(404, anonymous=LOGIN, peer=302, facilitator=403, admin=302)
GROUP_LIFE = everyone(403, anonymous=LOGIN, outsider=404, peer=200, facilitator=200, admin=200)
NOBODY = everyone(404, anonymous=LOGIN)
NOBODY_API = everyone(404, anonymous=API_ANON)


def _reflection_rows(name: str, author: str, visibility: str, group: str, page: dict[str, int]):  # type: ignore[no-untyped-def]
    api = {role: (API_ANON if role == "anonymous" else status) for role, status in page.items()}
    return [
        Row(
            f"reflection page: {name}",
            "get",
            lambda w: reverse(
                "group_life:reflection",
                args=[reflection(w, author=author, visibility=visibility, group=group).pk],
            ),
            page,
        ),
        Row(
            f"api reflection: {name}",
            "get",
            lambda w: reverse(
                "evaluation-reflection-detail",
                args=[reflection(w, author=author, visibility=visibility, group=group).pk],
            ),
            api,
        ),
    ]


ROWS: list[Row] = [
    Row(
        "group life home",
        "get",
        lambda w: reverse("group_life:group_life", args=[w.programme.pk]),
        everyone(403, anonymous=LOGIN, outsider=404, peer=200, facilitator=200, admin=200),
    ),
    Row(
        "group life home with a published group (peer goes to the workspace)",
        "get",
        lambda w: (
            published_groups(w),
            reverse("group_life:group_life", args=[w.programme.pk]),
        )[1],
        everyone(403, anonymous=LOGIN, outsider=404, peer=302, facilitator=200, admin=200),
    ),
    Row(
        "no-contact setting",
        "post",
        lambda w: reverse("group_life:group_life", args=[w.programme.pk]),
        everyone(403, anonymous=LOGIN, outsider=404, facilitator=302, admin=302),
        data=lambda w: {"weeks": "4"},
    ),
    Row(
        "workspace of my group",
        "get",
        lambda w: reverse("group_life:workspace", args=[w.programme.pk, _mine(w)]),
        WORKSPACE,
    ),
    Row(
        "workspace of another group",
        "get",
        lambda w: reverse("group_life:workspace", args=[w.programme.pk, _other(w)]),
        everyone(403, anonymous=LOGIN, outsider=404, facilitator=200, admin=200),
    ),
    Row(
        "workspace: save a problem draft",
        "post",
        _action("add_draft"),
        MEMBER_POST,
        data=lambda w: {"text": "Arrears grow"},
    ),
    Row("workspace: mark a draft distilled", "post", _action("distil", _draft), MEMBER_POST),
    Row(
        "workspace: add a meeting slot",
        "post",
        _action("add_slot"),
        MEMBER_POST,
        data=lambda w: {
            "every": "1",
            "weekday": "0",
            "time": "09:00",
            "duration_minutes": "60",
            "starts_on": "2026-03-02",
        },
    ),
    Row("workspace: remove a meeting slot", "post", _action("remove_slot", _slot), MEMBER_POST),
    Row(
        "workspace: log a meeting",
        "post",
        _action("log_meeting"),
        MEMBER_POST,
        data=lambda w: {"held_on": "2026-01-05"},
    ),
    Row(
        "workspace: submit the end product",
        "post",
        _action("submit_product"),
        MEMBER_POST,
        data=lambda w: {"title": "Roadmap", "text": "1. Link quotas to the cash plan."},
    ),
    Row(
        "workspace: rubric score",
        "post",
        lambda w: (product(w), _action("score_product")(w))[1],
        STAFF_POST,
        data=lambda w: {
            "new_ideas": "3",
            "different_experiences": "2",
            "peer_interaction": "4",
        },
    ),
    Row(
        "workspace: show the group on the progress board",
        "post",
        _action("set_board"),
        MEMBER_POST,
        data=lambda w: {"shown": "1"},
    ),
    Row(
        "end product file",
        "get",
        lambda w: (
            _product_with_file(w),
            reverse("group_life:product_file", args=[w.programme.pk, _mine(w)]),
        )[1],
        WORKSPACE,
    ),
    Row(
        "reflection prompt to a group",
        "post",
        lambda w: reverse("group_life:reflection_prompt", args=[w.programme.pk, _mine(w)]),
        everyone(403, anonymous=LOGIN, outsider=404, facilitator=302, admin=302),
        data=lambda w: {"question": "What did you learn?", "due_on": "2099-01-01"},
    ),
    Row(
        "Blind Side board",
        "get",
        lambda w: reverse("group_life:blind_side", args=[w.programme.pk, _mine(w)]),
        WORKSPACE,
    ),
    Row(
        "Blind Side: add a note",
        "post",
        lambda w: reverse("group_life:blind_side", args=[w.programme.pk, _mine(w)]),
        MEMBER_POST,
        data=lambda w: {"quadrant": "know_dont", "text": "Multi-year commitments"},
    ),
    Row(
        "Blind Side: move a note",
        "post",
        lambda w: reverse("group_life:blind_side_move", args=[w.programme.pk, _mine(w), _note(w)]),
        MEMBER_POST,
        data=lambda w: {"quadrant": "dont_know"},
    ),
    Row(
        "pairs page",
        "get",
        lambda w: reverse("group_life:pairs", args=[w.programme.pk]),
        GROUP_LIFE,
    ),
    Row(
        "pair request",
        "post",
        lambda w: reverse("group_life:pairs", args=[w.programme.pk]),
        everyone(403, anonymous=LOGIN, outsider=404, peer=302, admin=400),
        data=lambda w: {"requested_of": str(w.peer_same_cohort.pk), "purpose": "Visit"},
    ),
    Row(
        "pair page",
        "get",
        lambda w: reverse("group_life:pair", args=[w.programme.pk, pair(w).pk]),
        everyone(404, anonymous=LOGIN, peer=200, facilitator=200, admin=200),
    ),
    Row("pair: accept", "post", _pair_action("pair_accept"), ANSWER),
    Row("pair: decline", "post", _pair_action("pair_decline"), ANSWER),
    Row(
        "pair: plan the site visit",
        "post",
        _accepted_pair_action("pair_visit"),
        everyone(404, anonymous=LOGIN, peer=302, facilitator=403, admin=302),
        data=lambda w: {
            "starts_at": "2026-05-04T09:00",
            "ends_at": "2026-05-04T15:00",
            "learning_agenda": "Quotas",
        },
    ),
    Row(
        "pair: reflection after the visit",
        "post",
        _accepted_pair_action("pair_reflection"),
        # The visit has not taken place: refused in plain words (400) to those who may plan.
        everyone(404, anonymous=LOGIN, peer=400, facilitator=403, admin=400),
        data=lambda w: {"reflection": "Blocks in IT"},
    ),
    Row(
        "progress board",
        "get",
        lambda w: reverse("group_life:progress_board", args=[w.programme.pk]),
        everyone(200, anonymous=LOGIN, outsider=404),
    ),
    Row(
        "cross-group problems",
        "get",
        lambda w: reverse("group_life:cross_group", args=[w.programme.pk]),
        GROUP_LIFE,
    ),
    Row(
        "cross-group: spin off a sub-group",
        "post",
        lambda w: reverse("group_life:cross_group", args=[w.programme.pk]),
        everyone(403, anonymous=LOGIN, outsider=404, facilitator=302, admin=302),
        data=lambda w: {
            "name": "Arrears",
            "problem": "Arrears",
            "groups": [str(_mine(w)), str(_other(w))],
        },
    ),
    Row(
        "reflection journal",
        "get",
        lambda w: reverse("group_life:journal", args=[w.programme.pk]),
        everyone(403, anonymous=LOGIN, outsider=404, peer=200, admin=200),
    ),
    Row(
        "reflection journal: write",
        "post",
        lambda w: reverse("group_life:journal", args=[w.programme.pk]),
        everyone(403, anonymous=LOGIN, outsider=404, peer=302, admin=302),
        data=lambda w: {"learned": "Quotas", "visibility": "private"},
    ),
    *_reflection_rows(
        "private, by a group mate", "peer_same_cohort", Visibility.PRIVATE, "mine", NOBODY
    ),
    *_reflection_rows(
        "private, my own",
        "peer",
        Visibility.PRIVATE,
        "mine",
        everyone(404, anonymous=LOGIN, peer=200),
    ),
    *_reflection_rows(
        "group, my group",
        "peer_same_cohort",
        Visibility.GROUP,
        "mine",
        everyone(404, anonymous=LOGIN, peer=200, facilitator=200),
    ),
    *_reflection_rows(
        "group, another group",
        "stranger",
        Visibility.GROUP,
        "other",
        everyone(404, anonymous=LOGIN, facilitator=200),
    ),
    *_reflection_rows(
        "facilitators only",
        "peer_same_cohort",
        Visibility.FACILITATORS,
        "mine",
        everyone(404, anonymous=LOGIN, facilitator=200),
    ),
    Row(
        "api reflections list",
        "get",
        lambda w: reverse("evaluation-reflection-list"),
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api reflection create",
        "post",
        lambda w: reverse("evaluation-reflection-list"),
        everyone(403, anonymous=API_ANON, outsider=404, peer=201, admin=201),
        data=lambda w: {"programme": w.programme.pk, "learned": "x", "visibility": "private"},
        content_type="application/json",
    ),
    Row(
        "api workspaces list",
        "get",
        lambda w: reverse("matching-workspace-list"),
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api workspace detail",
        "get",
        lambda w: reverse("matching-workspace-detail", args=[_mine(w)]),
        everyone(404, anonymous=API_ANON, peer=200, facilitator=200, admin=200),
    ),
    Row(
        "api pairs list",
        "get",
        lambda w: reverse("matching-pair-list"),
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api pair detail",
        "get",
        lambda w: reverse("matching-pair-detail", args=[pair(w).pk]),
        everyone(404, anonymous=API_ANON, peer=200, facilitator=200, admin=200),
    ),
    Row(
        "api pair create",
        "post",
        lambda w: reverse("matching-pair-list"),
        everyone(403, anonymous=API_ANON, outsider=404, peer=201, admin=400),
        data=lambda w: {
            "programme": w.programme.pk,
            "requested_of": w.peer_same_cohort.pk,
            "purpose": "Visit",
        },
        content_type="application/json",
    ),
]

ROWS += DISCUSSION_ROWS

# Shared assessments: a tool with two criteria; ``peer_same_cohort``'s organisation (National
# Treasury) has assessed itself and scores better than the peer's, whose assessment is a draft.


def _tool(w: World) -> int:
    from group_life.assessments import services as assessments
    from group_life.assessments.models import AssessmentTool

    found = AssessmentTool.objects.filter(programme=w.programme).first()
    if found:
        return found.pk
    tool = assessments.create_tool(programme=w.programme, by=w.facilitator, name="Report card")
    for title in ("Publication", "Participation"):
        assessments.add_criterion(tool=tool, title=title, guidance="", levels="1 | Low\n4 | High")
    criteria = list(tool.criteria.all())
    theirs = assessments.submit_self_assessment(
        tool=tool,
        by=w.peer_same_cohort,
        round_number=1,
        scores={c.pk: 4 for c in criteria},
        evidence={},
        named_consent=False,
    )
    theirs.refresh_from_db()
    assessments.submit_self_assessment(
        tool=tool,
        by=w.peer,
        round_number=1,
        scores={c.pk: 1 for c in criteria},
        evidence={},
        named_consent=False,
    )
    return tool.pk


def _empty_tool(w: World) -> int:
    """A tool nobody has assessed with yet, so its criteria can still change."""
    from group_life.assessments.models import AssessmentTool

    tool, _created = AssessmentTool.objects.get_or_create(
        programme=w.programme, name="Draft card", defaults={"created_by": w.facilitator}
    )
    return tool.pk


def _theirs(w: World) -> int:
    from group_life.assessments.models import SelfAssessment

    _tool(w)
    return SelfAssessment.objects.get(organisation=w.other_organisation).pk


def _criterion(w: World) -> int:
    from group_life.assessments.models import Criterion

    return Criterion.objects.filter(tool_id=_tool(w)).first().pk  # type: ignore[union-attr]


def _tool_page(name: str) -> Callable[[World], str]:
    return lambda w: reverse(f"group_life:{name}", args=[w.programme.pk, _tool(w)])


def _scores(w: World) -> dict[str, object]:
    from group_life.assessments.models import Criterion

    tool = _tool(w)
    data: dict[str, object] = {"round": 2}
    for criterion in Criterion.objects.filter(tool_id=tool):
        data[f"score_{criterion.pk}"] = 4
    return data


VIEWERS = everyone(200, anonymous=LOGIN, outsider=404, sponsor=403)
STAFF_WRITE = everyone(403, anonymous=LOGIN, outsider=404, facilitator=302, admin=302)

ROWS += [
    Row(
        "assessments",
        "get",
        lambda w: reverse("group_life:assessments", args=[w.programme.pk]),
        VIEWERS,
    ),
    Row(
        "assessment tool create",
        "post",
        lambda w: reverse("group_life:assessment_tool_create", args=[w.programme.pk]),
        STAFF_WRITE,
        data=lambda w: {"name": "PEFA-like", "description": ""},
    ),
    Row("assessment tool", "get", _tool_page("assessment_tool"), VIEWERS),
    Row(
        "assessment criterion add",
        "post",
        lambda w: reverse(
            "group_life:assessment_criterion_add", args=[w.programme.pk, _empty_tool(w)]
        ),
        STAFF_WRITE,
        data=lambda w: {"title": "Audit", "guidance": "", "levels": "1 | Low\n2 | High"},
    ),
    Row(
        "self-assessment page",
        "get",
        _tool_page("self_assess"),
        everyone(403, anonymous=LOGIN, outsider=404, peer=200),
    ),
    Row(
        "self-assessment submit",
        "post",
        _tool_page("self_assess"),
        everyone(403, anonymous=LOGIN, outsider=404, peer=302),
        data=_scores,
    ),
    Row("benchmark", "get", _tool_page("benchmark"), VIEWERS),
    Row(
        "assessment of another organisation",
        "get",
        lambda w: reverse("group_life:assessment", args=[w.programme.pk, _tool(w), _theirs(w)]),
        VIEWERS,
    ),
    Row(
        "assessment review",
        "post",
        lambda w: reverse(
            "group_life:assessment_review", args=[w.programme.pk, _tool(w), _theirs(w)]
        ),
        everyone(403, anonymous=LOGIN, outsider=404, peer=302, facilitator=302, admin=302),
        data=lambda w: {"comment": "Publish the audit report."},
    ),
    Row(
        "positive deviance pair request",
        "post",
        lambda w: reverse(
            "group_life:deviance_pair",
            args=[w.programme.pk, _tool(w), _criterion(w), w.peer_same_cohort.pk],
        ),
        # A site administrator has no cohort mates to pair with.
        everyone(403, anonymous=LOGIN, outsider=404, peer=302, admin=404),
    ),
]


# Embedded peer advisers: the peer is placed at the other organisation.


def _placement(w: World) -> int:
    from group_life.placements import services as placements
    from group_life.placements.models import Placement

    found = Placement.objects.filter(programme=w.programme).first()
    return (
        found
        or placements.create_placement(
            programme=w.programme,
            by=w.facilitator,
            peer=w.peer,
            host_organisation=w.other_organisation,
            starts_on=date(2026, 1, 5),
            ends_on=date(2026, 4, 5),
            goals="A commitment register",
        )
    ).pk


def _placement_page(name: str) -> Callable[[World], str]:
    return lambda w: reverse(f"group_life:{name}", args=[w.programme.pk, _placement(w)])


ROWS += [
    Row(
        "placements",
        "get",
        lambda w: reverse("group_life:placements", args=[w.programme.pk]),
        everyone(200, anonymous=LOGIN, outsider=404),
    ),
    Row(
        "placement create",
        "post",
        lambda w: reverse("group_life:placement_create", args=[w.programme.pk]),
        STAFF_WRITE,
        data=lambda w: {
            "peer": w.peer_same_cohort.pk,
            "host_organisation": w.organisation.pk,
            "starts_on": "2026-02-01",
            "ends_on": "2026-05-01",
            "goals": "Cash forecasting",
        },
    ),
    Row(
        "placement",
        "get",
        _placement_page("placement"),
        everyone(200, anonymous=LOGIN, outsider=404),
    ),
    Row(
        "placement check-in",
        "post",
        _placement_page("placement_check_in"),
        everyone(403, anonymous=LOGIN, outsider=404, peer=302, facilitator=302, admin=302),
        data=lambda w: {"held_on": "2026-02-01", "progress": "Register drafted"},
    ),
    Row(
        "placement reflection",
        "post",
        _placement_page("placement_reflection"),
        # A site administrator passes the rule but is told only the adviser writes it.
        everyone(403, anonymous=LOGIN, outsider=404, peer=302, admin=400),
        data=lambda w: {"text": "Registers travel"},
    ),
]
