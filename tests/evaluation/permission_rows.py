"""Rows of the permission matrix for evaluation's pages and endpoints (see tests/matrix.py).

A peer never reads another peer's response (404: it is not even found for them); private free
text never reaches managers (tested in test_visibility.py on the same pages and endpoints).
"""

from __future__ import annotations

from django.urls import reverse

from evaluation.models import (
    ComparisonInvitee,
    ExportJob,
    ImpactIndicator,
    Instrument,
    Response,
    Story,
    Visibility,
    Wave,
)
from evaluation.services import comparison_token, export_jobs, unsubscribe_token
from tests.conftest import World
from tests.evaluation.factories import (
    InstrumentFactory,
    ItemFactory,
    StoryFactory,
    WaveFactory,
    answer_wave,
    builtin,
    wenger_answers,
)
from tests.matrix import API_ANON, LOGIN, Row, everyone

STAFF_PAGE = everyone(403, anonymous=LOGIN, outsider=404, facilitator=200, manager=200, admin=200)
FACILITATOR_POST = everyone(403, anonymous=LOGIN, outsider=404, facilitator=302, admin=302)
MEMBERS_PAGE = everyone(200, anonymous=LOGIN, outsider=404)


def wave(w: World) -> Wave:
    return WaveFactory(programme=w.programme, cohort=w.cohort)


def which_peers_search(w: World) -> str:
    """The search of a "which peers" question, for a name in the World's peer's cohort."""
    engagement = WaveFactory(
        programme=w.programme, cohort=w.cohort, instrument=builtin("continuing-engagement")
    )
    item = engagement.instrument.items.get(kind="peers")
    query = w.peer_same_cohort.full_name.split()[0]
    return f"{page('find_peers', engagement.pk, item.pk)}?item-which_peers-find={query}"


def others_response(w: World) -> Response:
    return answer_wave(wave(w), w.peer_same_cohort, wenger_answers(4, text="Between us"))


def own_response(w: World) -> Response:
    return answer_wave(wave(w), w.peer, wenger_answers(3))


def comparison_invitee(w: World) -> ComparisonInvitee:
    contact_wave = WaveFactory(programme=w.programme, instrument=builtin("peer-contact"))
    return ComparisonInvitee.objects.create(wave=contact_wave, email="ana@example.org")


def custom_instrument(w: World) -> Instrument:
    instrument = InstrumentFactory(programme=w.programme)
    ItemFactory(instrument=instrument)
    return instrument


def story(w: World, visibility: str, author: str = "peer_same_cohort") -> Story:
    return StoryFactory(programme=w.programme, author=getattr(w, author), visibility=visibility)


def page(name: str, *args: object) -> str:
    return reverse(f"evaluation:{name}", args=args)


def export_row(what: str, fmt: str) -> Row:
    return Row(
        f"evaluation export {what} {fmt}",
        "get",
        lambda w: page("export", w.programme.pk, what, fmt),
        STAFF_PAGE,
    )


def facilitators_export(w: World) -> ExportJob:
    """An export the facilitator asked for, written: nobody else reaches it."""
    job = ExportJob.objects.create(
        programme=w.programme, requested_by=w.facilitator, kind="indicators", format="csv"
    )
    export_jobs.write_export(job_id=job.pk)
    return job


OWN_EXPORT = everyone(403, anonymous=LOGIN, outsider=404, facilitator=200, manager=404, admin=404)

ROWS: list[Row] = [
    Row("evaluation exports", "get", lambda w: page("exports", w.programme.pk), STAFF_PAGE),
    Row(
        "evaluation export request",
        "post",
        lambda w: page("export_request", w.programme.pk),
        everyone(403, anonymous=LOGIN, outsider=404, facilitator=302, manager=302, admin=302),
        data=lambda w: {"kind": "responses", "format": "csv"},
    ),
    Row(
        "evaluation export progress",
        "get",
        lambda w: page("export_progress", w.programme.pk, facilitators_export(w).pk),
        OWN_EXPORT,
    ),
    Row(
        "evaluation export download",
        "get",
        lambda w: page("export_download", w.programme.pk, facilitators_export(w).pk),
        OWN_EXPORT,
    ),
    Row("evaluation home", "get", lambda w: page("home", w.programme.pk), MEMBERS_PAGE),
    Row("evaluation dashboard", "get", lambda w: page("dashboard", w.programme.pk), STAFF_PAGE),
    Row("evaluation report", "get", lambda w: page("report", w.programme.pk), STAFF_PAGE),
    export_row("responses", "csv"),
    export_row("responses", "xlsx"),
    export_row("indicators", "csv"),
    export_row("indicators", "xlsx"),
    Row(
        "evaluation instruments",
        "get",
        lambda w: page("instruments", w.programme.pk),
        STAFF_PAGE,
    ),
    Row(
        "evaluation instrument create",
        "post",
        lambda w: page("instruments", w.programme.pk),
        FACILITATOR_POST,
        data=lambda w: {"name": "Our pulse survey"},
    ),
    Row(
        "evaluation built-in instrument",
        "get",
        lambda w: page("instrument", builtin("wenger-value-creation").pk),
        everyone(200, anonymous=LOGIN),
    ),
    Row(
        "evaluation programme instrument",
        "get",
        lambda w: page("instrument", custom_instrument(w).pk),
        MEMBERS_PAGE,
    ),
    Row(
        "evaluation add item",
        "post",
        lambda w: page("instrument", custom_instrument(w).pk),
        FACILITATOR_POST,
        data=lambda w: {"kind": "likert", "text": "Was it useful?", "visibility": "private"},
    ),
    Row(
        "evaluation remove item",
        "post",
        lambda w: (
            lambda i: page("item_delete", i.pk, i.items.first().pk)  # type: ignore[union-attr]
        )(custom_instrument(w)),
        FACILITATOR_POST,
    ),
    Row(
        "evaluation wave new",
        "get",
        lambda w: page("wave_new", w.programme.pk),
        everyone(403, anonymous=LOGIN, outsider=404, facilitator=200, admin=200),
    ),
    Row(
        "evaluation wave schedule",
        "post",
        lambda w: page("wave_new", w.programme.pk),
        FACILITATOR_POST,
        data=lambda w: {
            "instrument": builtin("pempal-story").pk,
            "kind": "plus_3",
            "anchor": "2026-03-13",
            "max_reminders": 2,
            "reminder_gap_days": 7,
        },
    ),
    Row("evaluation wave detail", "get", lambda w: page("wave", wave(w).pk), STAFF_PAGE),
    Row(
        "evaluation answer",
        "get",
        lambda w: page("answer", wave(w).pk),
        everyone(403, anonymous=LOGIN, outsider=404, peer=200),
    ),
    Row(
        "evaluation answer submit",
        "post",
        lambda w: page("answer", wave(w).pk),
        everyone(403, anonymous=LOGIN, outsider=404, peer=302),
        data=lambda w: {f"item-{k}": v for k, v in wenger_answers(4).items()} | {"submit": "1"},
    ),
    Row(
        "evaluation draft",
        "post",
        lambda w: page("draft", wave(w).pk),
        everyone(403, anonymous=LOGIN, outsider=404, peer=200),
        data=lambda w: {"item-immediate_rating": "4"},
    ),
    Row(
        "evaluation which peers search",
        "get",
        which_peers_search,
        everyone(403, anonymous=LOGIN, outsider=404, peer=200),
    ),
    Row(
        "evaluation another peer's response",
        "get",
        lambda w: page("response", others_response(w).pk),
        everyone(404, anonymous=LOGIN, facilitator=200, manager=200, admin=200),
    ),
    Row(
        "evaluation own response",
        "get",
        lambda w: page("response", own_response(w).pk),
        everyone(404, anonymous=LOGIN, peer=200, facilitator=200, manager=200, admin=200),
    ),
    Row("evaluation stories", "get", lambda w: page("stories", w.programme.pk), MEMBERS_PAGE),
    Row(
        "evaluation story begin",
        "post",
        lambda w: page("stories", w.programme.pk),
        everyone(403, anonymous=LOGIN, outsider=404, peer=302),
        data=lambda w: {
            "title": "Cash forecasting",
            "immediate_value": "A lively session",
            "potential_value": "A forecasting template",
            "aspirational_ending": "Daily cash plans",
            "visibility": "facilitators",
        },
    ),
    Row(
        "evaluation story for facilitators",
        "get",
        lambda w: page("story", story(w, Visibility.FACILITATORS).pk),
        everyone(403, anonymous=LOGIN, outsider=404, facilitator=200, admin=200),
    ),
    Row(
        "evaluation private story",
        "get",
        lambda w: page("story", story(w, Visibility.PRIVATE).pk),
        everyone(403, anonymous=LOGIN, outsider=404),
    ),
    Row(
        "evaluation story shared with the programme",
        "get",
        lambda w: page("story", story(w, Visibility.PROGRAMME).pk),
        everyone(200, anonymous=LOGIN, outsider=404, sponsor=403),
    ),
    Row(
        "evaluation story follow-up",
        "get",
        lambda w: page("story_follow_up", story(w, Visibility.PRIVATE, author="peer").pk),
        everyone(403, anonymous=LOGIN, outsider=404, peer=200),
    ),
    Row(
        "evaluation story follow-up save",
        "post",
        lambda w: page("story_follow_up", story(w, Visibility.PRIVATE, author="peer").pk),
        everyone(403, anonymous=LOGIN, outsider=404, peer=302),
        data=lambda w: {"applied_value": "Used in the Q3 cash plan"},
    ),
    Row("evaluation impact", "get", lambda w: page("impact", w.programme.pk), STAFF_PAGE),
    Row(
        "evaluation impact add",
        "post",
        lambda w: page("impact_indicator_add", w.programme.pk),
        FACILITATOR_POST,
        data=lambda w: {"name": "PEFA PI-11", "unit": "A-D"},
    ),
    Row(
        "evaluation impact observation",
        "post",
        lambda w: page("impact_observation_add", w.programme.pk),
        FACILITATOR_POST,
        data=lambda w: {
            "indicator": str(
                ImpactIndicator.objects.create(programme=w.programme, name="PEFA PI-11").pk
            ),
            "country": "GH",
            "observed_on": "2026-01-15",
            "value": "B",
        },
    ),
    Row(
        "evaluation unsubscribe",
        "get",
        lambda w: page("unsubscribe", unsubscribe_token(w.peer, w.programme)),
        everyone(200),
    ),
    Row(
        "evaluation comparison invite",
        "post",
        lambda w: page("wave", wave(w).pk),
        FACILITATOR_POST,
        data=lambda w: {"emails": "Ana Colleague <ana.colleague@example.org>"},
    ),
    Row(
        "evaluation comparison answer",
        "get",
        lambda w: page("comparison", comparison_token(comparison_invitee(w))),
        everyone(200),
    ),
    Row(
        "evaluation comparison submit",
        "post",
        lambda w: page("comparison", comparison_token(comparison_invitee(w))),
        everyone(200),
        data=lambda w: {
            "item-peer_meaning": "A colleague with the same problems",
            "item-contact_3_months": "no",
        },
    ),
    Row(
        "evaluation unsubscribe confirm",
        "post",
        lambda w: page("unsubscribe", unsubscribe_token(w.peer, w.programme)),
        everyone(200),
    ),
    Row("evaluation comparison forged", "get", lambda w: page("comparison", "x"), everyone(404)),
    Row(
        "evaluation unsubscribe forged",
        "get",
        lambda w: page("unsubscribe", "forged"),
        everyone(404),
    ),
    # API
    Row(
        "api evaluation instruments",
        "get",
        lambda w: reverse("evaluation-instrument-list"),
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api evaluation built-in instrument",
        "get",
        lambda w: reverse("evaluation-instrument-detail", args=[builtin("pempal-story").pk]),
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api evaluation programme instrument",
        "get",
        lambda w: reverse("evaluation-instrument-detail", args=[custom_instrument(w).pk]),
        everyone(200, anonymous=API_ANON, outsider=404),
    ),
    Row(
        "api evaluation waves",
        "get",
        lambda w: reverse("evaluation-wave-list"),
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api evaluation wave",
        "get",
        lambda w: reverse("evaluation-wave-detail", args=[wave(w).pk]),
        everyone(404, anonymous=API_ANON, peer=200, facilitator=200, manager=200, admin=200),
    ),
    Row(
        "api evaluation responses",
        "get",
        lambda w: reverse("evaluation-response-list"),
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api evaluation another peer's response",
        "get",
        lambda w: reverse("evaluation-response-detail", args=[others_response(w).pk]),
        everyone(404, anonymous=API_ANON, facilitator=200, manager=200, admin=200),
    ),
    Row(
        "api evaluation indicators",
        "get",
        lambda w: reverse("evaluation-indicators-detail", args=[w.programme.pk]),
        everyone(403, outsider=404, facilitator=200, manager=200, admin=200),
    ),
]


# The evaluation plan: indicators linked to the theory of change.


def _theory(w: World) -> None:
    from programmes.models import TheoryOfChange

    TheoryOfChange.objects.get_or_create(
        programme=w.programme,
        defaults={
            "focal_point": "Arrears fall",
            "influential_variables": "Peer pressure",
            "assumptions": "Ministries publish arrears",
        },
    )


def _link(w: World) -> int:
    from evaluation.models import TheoryLink

    _theory(w)
    return TheoryLink.objects.create(
        programme=w.programme,
        element="assumption",
        position=0,
        element_text="Ministries publish arrears",
        indicator_code="use_in_organisation",
    ).pk


ROWS += [
    Row("evaluation plan", "get", lambda w: page("plan", w.programme.pk), STAFF_PAGE),
    Row(
        "evaluation plan link",
        "post",
        lambda w: page("plan_link", w.programme.pk),
        FACILITATOR_POST,
        data=lambda w: (
            _theory(w)
            or {
                "element": "assumption:0",
                "indicator": "builtin:use_in_organisation",
                "expected": "up",
            }
        ),
    ),
    Row(
        "evaluation plan unlink",
        "post",
        lambda w: page("plan_unlink", w.programme.pk, _link(w)),
        FACILITATOR_POST,
    ),
]
