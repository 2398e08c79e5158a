"""Next steps of matching for a programme's home: a peer's intake and group, and for
facilitators each cohort's intake and groups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from peerlearn import navigation as nav
from peerlearn.home import DONE, OPEN, WAITING, NextStep
from peerlearn.roles import Role, roles_in

from . import selectors
from .models import MatchingRun

if TYPE_CHECKING:
    from programmes.models import Cohort, Programme


def next_steps(user: Any, programme: Programme) -> list[NextStep]:
    steps: list[NextStep] = []
    if Role.PEER in roles_in(user, programme):
        steps += _peer(user, programme)
    if user.has_perm("matching.manage_matching", programme):
        # Two queries for every cohort together: their counts, and their runs.
        latest: dict[int, MatchingRun] = {}
        published: dict[int, MatchingRun] = {}
        for run in selectors.runs_of(programme).order_by("-published_at", "-pk"):
            latest.setdefault(run.cohort_id, run)
            if run.published_at is not None:
                earlier = published.get(run.cohort_id)
                if earlier is None or (run.created_at, run.pk) > (earlier.created_at, earlier.pk):
                    published[run.cohort_id] = run
        for cohort in selectors.cohorts_with_counts(programme):
            steps += _cohort(
                programme, cohort, latest=latest.get(cohort.pk), published=published.get(cohort.pk)
            )
    return steps


def _peer(user: Any, programme: Programme) -> list[NextStep]:
    cohort = selectors.peer_cohort(user, programme)
    if cohort is None:
        return []
    intake_url = reverse("matching:intake", kwargs={"pk": programme.pk})
    survey = selectors.survey_of(cohort)
    response = selectors.own_response(user, survey) if survey is not None else None
    submitted = response is not None and response.submitted_at is not None
    group = selectors.my_group(user, programme)
    steps = [
        NextStep(
            stage=nav.MATCHING,
            title=_("Intake survey done") if submitted else _("Fill in your intake survey"),
            detail=""
            if submitted
            else _(
                "Describe three or more challenges you face in your reform: you are matched "
                "with peers who face the same ones."
            ),
            url=intake_url,
            action=_("See my answers") if submitted else _("Start the intake"),
            status=DONE if submitted else OPEN,
            order=10,
        )
    ]
    if group is not None:
        steps.append(
            NextStep(
                stage=nav.MATCHING,
                title=_("Your group: %(label)s") % {"label": group.label},
                detail=_("Who is in it and why you are together."),
                url=reverse("matching:my_group", kwargs={"pk": programme.pk}),
                action=_("Meet your group"),
                status=OPEN,
                order=20,
            )
        )
    elif submitted:
        steps.append(
            NextStep(
                stage=nav.MATCHING,
                title=_("Your group"),
                detail=_(
                    "Groups are formed once the cohort has done the intake. You will get an "
                    "email when yours is ready."
                ),
                status=WAITING,
                order=20,
            )
        )
    return steps


def _cohort(
    programme: Programme,
    cohort: Cohort,
    *,
    latest: MatchingRun | None,
    published: MatchingRun | None,
) -> list[NextStep]:
    """The steps of one cohort (with ``peer_count`` and ``done_count``, see
    ``selectors.cohorts_with_counts``): its latest run and its published one."""
    peers = int(cohort.peer_count)  # type: ignore[attr-defined]
    if not peers:
        return []
    done = int(cohort.done_count)  # type: ignore[attr-defined]
    survey_url = reverse("matching:survey", kwargs={"pk": programme.pk, "cohort_id": cohort.pk})
    steps = [
        NextStep(
            stage=nav.MATCHING,
            title=_("%(cohort)s: %(done)d of %(total)d peers have done the intake")
            % {"cohort": cohort.name, "done": done, "total": peers},
            detail="" if done >= peers else _("Send a reminder to those who have not finished."),
            url=survey_url,
            action=_("Intake of %(cohort)s") % {"cohort": cohort.name},
            status=DONE if done >= peers else WAITING,
            order=10,
        )
    ]
    if published is not None:
        steps.append(
            NextStep(
                stage=nav.MATCHING,
                title=_("%(cohort)s: groups published") % {"cohort": cohort.name},
                url=reverse(
                    "matching:run_detail", kwargs={"pk": programme.pk, "run_id": published.pk}
                ),
                action=_("See the groups"),
                status=DONE,
                order=20,
            )
        )
    elif latest is not None and latest.status == MatchingRun.Status.DONE:
        steps.append(
            NextStep(
                stage=nav.MATCHING,
                title=_("%(cohort)s: review and publish the groups") % {"cohort": cohort.name},
                detail=_("Peers see their group once you publish it."),
                url=reverse(
                    "matching:run_detail", kwargs={"pk": programme.pk, "run_id": latest.pk}
                ),
                action=_("Review the groups"),
                order=20,
            )
        )
    elif latest is not None and not latest.is_finished:
        steps.append(
            NextStep(
                stage=nav.MATCHING,
                title=_("%(cohort)s: the groups are being formed") % {"cohort": cohort.name},
                url=reverse(
                    "matching:run_detail", kwargs={"pk": programme.pk, "run_id": latest.pk}
                ),
                action=_("Follow its progress"),
                status=WAITING,
                order=20,
            )
        )
    elif done:
        steps.append(
            NextStep(
                stage=nav.MATCHING,
                title=_("%(cohort)s: form the groups") % {"cohort": cohort.name},
                detail=_("Group the peers who have done the intake by the problems they share."),
                url=reverse(
                    "matching:run_new", kwargs={"pk": programme.pk, "cohort_id": cohort.pk}
                ),
                action=_("Start a matching run"),
                order=20,
            )
        )
    return steps
