"""Next steps of evaluation for a programme's home: a peer's surveys and stories, the survey
waves for facilitators, and the dashboard's summary for those who read it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn import navigation as nav
from peerlearn.flags import current_flags
from peerlearn.home import DONE, OPEN, WAITING, NextStep
from peerlearn.roles import Role, roles_in

from . import selectors
from .models import Response, Wave

if TYPE_CHECKING:
    from programmes.models import Programme


def next_steps(user: Any, programme: Programme) -> list[NextStep]:
    steps: list[NextStep] = []
    if Role.PEER in roles_in(user, programme):
        steps += _peer(user, programme)
    rates = None
    if user.has_perm("evaluation.manage_waves", programme):
        rates = selectors.response_rates(programme)
        steps += _waves(programme, rates)
    if Role.MANAGER in roles_in(user, programme):
        steps.append(_dashboard(programme, rates or selectors.response_rates(programme)))
    return steps


def _peer(user: Any, programme: Programme) -> list[NextStep]:
    steps = []
    for row in selectors.my_surveys(user, programme):
        wave, response = row["wave"], row["response"]
        submitted = response is not None and response.status == Response.Status.SUBMITTED
        if wave.status != Wave.Status.OPEN and not submitted:
            continue
        steps.append(
            NextStep(
                stage=nav.EVALUATION,
                title=_("Survey answered: %(title)s") % {"title": wave.title}
                if submitted
                else _("Answer the survey: %(title)s") % {"title": wave.title},
                detail=""
                if submitted
                else _("Due on %(day)s.") % {"day": formats.date_format(wave.due_on)},
                url=reverse("evaluation:answer", kwargs={"pk": wave.pk})
                if not submitted
                else reverse("evaluation:response", kwargs={"pk": response.pk}),
                action=_("Read my answers")
                if submitted
                else (_("Continue") if response is not None else _("Answer")),
                status=DONE if submitted else OPEN,
                order=30,
            )
        )
    for story in selectors.stories_to_follow_up(user, programme)[:3]:
        steps.append(
            NextStep(
                stage=nav.EVALUATION,
                title=_("How did your story continue? %(title)s") % {"title": story.title},
                url=reverse("evaluation:story_follow_up", kwargs={"pk": story.pk}),
                action=_("Tell what happened"),
                order=35,
            )
        )
    return steps


def _waves(programme: Programme, rates: list[dict[str, Any]]) -> list[NextStep]:
    if not rates:
        return [
            NextStep(
                stage=nav.EVALUATION,
                title=_("Schedule the first survey"),
                detail=_("A baseline at the start shows later what peers learned."),
                url=reverse("evaluation:wave_new", kwargs={"pk": programme.pk}),
                action=_("Schedule a survey wave"),
                order=10,
            )
        ]
    steps = []
    for row in rates:
        wave = row["wave"]
        if wave.status != Wave.Status.OPEN:
            continue
        steps.append(
            NextStep(
                stage=nav.EVALUATION,
                title=_("%(title)s: %(submitted)d of %(invited)d answered")
                % {"title": wave.title, "submitted": row["submitted"], "invited": row["invited"]},
                detail=_("Due on %(day)s; reminders go out by email.")
                % {"day": formats.date_format(wave.due_on)},
                url=reverse("evaluation:wave", kwargs={"pk": wave.pk}),
                action=_("See the answers"),
                status=WAITING,
                order=20,
            )
        )
    return steps


def _dashboard(programme: Programme, rates: list[dict[str, Any]]) -> NextStep:
    flags, _computed = current_flags(programme)
    answering = (
        Response.objects.filter(wave__programme=programme, status=Response.Status.SUBMITTED)
        .values("respondent_id")
        .distinct()
        .count()
    )
    figures: list[tuple[str, str]] = [
        (str(_("Peers who answered a survey")), str(answering)),
        (str(_("Risk flags")), str(len(flags))),
    ]
    answered = [row for row in rates if row["wave"].status != Wave.Status.SCHEDULED]
    if answered:
        latest = answered[-1]
        figures.insert(
            0,
            (
                _("Latest survey: %(title)s") % {"title": latest["wave"].title},
                _("%(submitted)d of %(invited)d answered")
                % {"submitted": latest["submitted"], "invited": latest["invited"]},
            ),
        )
    return NextStep(
        stage=nav.EVALUATION,
        title=_("Evaluation dashboard"),
        detail=ngettext(
            "Learning, value and spread on one page; %(count)d survey so far.",
            "Learning, value and spread on one page; %(count)d surveys so far.",
            len(rates),
        )
        % {"count": len(rates)},
        url=reverse("evaluation:dashboard", kwargs={"pk": programme.pk}),
        action=_("Open the dashboard"),
        figures=tuple(figures),
        order=5,
    )
