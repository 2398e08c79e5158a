"""Next steps of diffusion for a programme's home: a peer's plan to share at home, and for a
sponsor the plans to confirm and the monthly progress report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn import navigation as nav
from peerlearn.home import DONE, OPEN, WAITING, NextStep
from peerlearn.roles import Role, roles_in

from .models import DiffusionPlan
from .selectors import sponsored_organisations

if TYPE_CHECKING:
    from programmes.models import Programme


def next_steps(user: Any, programme: Programme) -> list[NextStep]:
    roles = roles_in(user, programme)
    steps: list[NextStep] = []
    if Role.PEER in roles:
        plan = DiffusionPlan.objects.filter(programme=programme, peer=user).first()
        status = str(plan.status) if plan is not None else ""
        titles = {
            "": _("Plan how you will share what you learn at home"),
            DiffusionPlan.Status.DRAFT: _("Finish your plan and send it to your sponsor"),
            DiffusionPlan.Status.PROPOSED: _("Your plan waits for your sponsor"),
            DiffusionPlan.Status.CONFIRMED: _("Your plan is confirmed by your sponsor"),
        }
        states: dict[str, str] = {
            DiffusionPlan.Status.PROPOSED: WAITING,
            DiffusionPlan.Status.CONFIRMED: DONE,
        }
        steps.append(
            NextStep(
                stage=nav.DIFFUSION,
                title=str(titles.get(status, titles[""])),
                url=reverse("diffusion:plan_edit", kwargs={"pk": programme.pk}),
                action=_("My diffusion plan"),
                status=states.get(status, OPEN),
                order=70,
            )
        )
    if Role.SPONSOR in roles:
        organisations = sponsored_organisations(user, programme)
        to_confirm = DiffusionPlan.objects.filter(
            programme=programme,
            organisation__in=organisations,
            status=DiffusionPlan.Status.PROPOSED,
        ).count()
        if to_confirm:
            steps.append(
                NextStep(
                    stage=nav.DIFFUSION,
                    title=ngettext(
                        "%(count)d diffusion plan waits for your confirmation",
                        "%(count)d diffusion plans wait for your confirmation",
                        to_confirm,
                    )
                    % {"count": to_confirm},
                    url=reverse("diffusion:overview", kwargs={"pk": programme.pk}),
                    action=_("See the plans"),
                    order=10,
                )
            )
        steps.append(
            NextStep(
                stage=nav.DIFFUSION,
                title=_("Progress report of your organisation's peers"),
                detail=_("What they learned, shared and changed; also sent to you every month."),
                url=reverse("diffusion:sponsor_report", kwargs={"pk": programme.pk}),
                action=_("Read the report"),
                order=20,
            )
        )
    return steps
