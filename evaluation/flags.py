"""Risk flags raised by evaluation (see ``peerlearn.flags``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, OuterRef, When
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from peerlearn.aggregates import any_rows
from peerlearn.flags import RiskFlag, Stage
from peerlearn.queries import SubqueryCount
from peerlearn.roles import Role
from programmes.selectors import all_attendances, all_memberships

from .models import Answer, Item, Response, Story, TheoryLink, Wave

if TYPE_CHECKING:
    from programmes.models import Programme


LOW_RESPONSE_RATE = 0.5


def flags_for(programme: Programme) -> list[RiskFlag]:
    flags: list[RiskFlag] = []
    from .plan import assumptions_moving_wrong_way

    today = timezone.localdate()
    surveys_url = reverse("evaluation:home", kwargs={"pk": programme.pk})
    new_wave_url = reverse("evaluation:wave_new", kwargs={"pk": programme.pk})
    peers = all_memberships().filter(programme=programme, role=Role.PEER)
    found = any_rows(
        submitted=Response.objects.filter(
            wave__programme=programme, status=Response.Status.SUBMITTED
        ),
        stories=Story.objects.filter(programme=programme),
        attendance=all_attendances().filter(activity__programme=programme),
        peers=peers,
        waves=Wave.objects.filter(programme=programme),
        written=Answer.objects.filter(
            response__wave__programme=programme,
            response__status=Response.Status.SUBMITTED,
            item__kind__in=Item.TEXT_KINDS,
        ).exclude(text=""),
        linked=TheoryLink.objects.filter(
            programme=programme, element=TheoryLink.Element.ASSUMPTION
        ),
    )
    # The trends of the assumptions' indicators are read only when an assumption is linked.
    if found["linked"]:
        plan_url = reverse("evaluation:plan", kwargs={"pk": programme.pk})
        for assumption in assumptions_moving_wrong_way(programme):
            flags.append(
                RiskFlag(
                    stage=Stage.FOUNDATION,
                    code="assumption-wrong-way",
                    message=_(
                        "An assumption of the theory of change may not hold: its indicators move "
                        "the wrong way."
                    ),
                    subject=assumption[:120],
                    url=plan_url,
                )
            )
    submitted, stories, attendance = found["submitted"], found["stories"], found["attendance"]
    if attendance and not submitted and not stories:
        flags.append(
            RiskFlag(
                stage=Stage.LEARNING,
                code="attendance-only-measure",
                message=_(
                    "Attendance is the only measure: no survey answers or value-creation "
                    "stories show whether peers learned."
                ),
                url=new_wave_url,
            )
        )
    if found["peers"] and not found["waves"]:
        flags.append(
            RiskFlag(
                stage=Stage.LEARNING,
                code="no-survey-waves",
                message=_("No evaluation survey is scheduled for this programme."),
                url=new_wave_url,
            )
        )
    reflections = stories or found["written"]
    if found["peers"] and not reflections:
        flags.append(
            RiskFlag(
                stage=Stage.LEARNING,
                code="no-reflections",
                message=_(
                    "No peer has reflected in writing yet (a value-creation story or a "
                    "free-text survey answer)."
                ),
                url=surveys_url,
            )
        )
    # Each wave with the peers it invites: those of its cohort, or every peer of the programme.
    past_due = (
        Wave.objects.filter(programme=programme, due_on__lt=today)
        .exclude(status=Wave.Status.SCHEDULED)
        .annotate(
            answered=SubqueryCount(
                Response.objects.filter(
                    wave=OuterRef("pk"), status=Response.Status.SUBMITTED
                ).values("pk")
            ),
            invited=Case(
                When(cohort__isnull=True, then=SubqueryCount(peers.values("pk"))),
                default=SubqueryCount(peers.filter(cohort_id=OuterRef("cohort_id")).values("pk")),
            ),
        )
    )
    for wave in past_due:
        invited: int = wave.invited
        answered: int = wave.answered
        if invited and answered == 0:
            flags.append(
                RiskFlag(
                    stage=Stage.LEARNING,
                    code="no-survey-responses",
                    message=_("Nobody has answered this survey, and it was due on %(day)s.")
                    % {"day": formats.date_format(wave.due_on)},
                    subject=wave.title,
                    url=reverse("evaluation:wave", kwargs={"pk": wave.pk}),
                )
            )
        elif invited and answered / invited < LOW_RESPONSE_RATE:
            flags.append(
                RiskFlag(
                    stage=Stage.LEARNING,
                    code="low-response-rate",
                    message=_("Only %(answered)s of %(invited)s peers answered this survey.")
                    % {"answered": answered, "invited": invited},
                    severity="info",
                    subject=wave.title,
                    url=reverse("evaluation:wave", kwargs={"pk": wave.pk}),
                )
            )
    return flags
