"""Next steps of group life for a programme's home: a peer's group workspace, new messages in
their discussions and reflections."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matching.selectors import published_group_of
from peerlearn import navigation as nav
from peerlearn.home import DONE, OPEN, NextStep
from peerlearn.roles import Role, roles_in

from . import selectors
from .discussions import selectors as discussions

if TYPE_CHECKING:
    from programmes.models import Programme


def assessment_steps(user: Any, programme: Programme) -> list[NextStep]:
    """A peer's organisation's self-assessment with each shared tool, to do or done."""
    from .assessments import selectors as assessments

    organisation = assessments.own_organisation(user, programme)
    if organisation is None:
        return []
    steps = []
    for tool in assessments.tools_of(programme):
        if not tool.criteria.all():
            continue
        done = assessments.latest_round_of(tool, organisation) is not None
        steps.append(
            NextStep(
                stage=nav.GROUP_LIFE,
                title=_("Self-assess %(organisation)s with “%(tool)s”")
                % {"organisation": organisation.name, "tool": tool.name},
                detail=_("Then compare your position with your peers' on the benchmark."),
                url=reverse(
                    "group_life:benchmark" if done else "group_life:self_assess",
                    kwargs={"pk": programme.pk, "tool_id": tool.pk},
                ),
                action=_("Open the benchmark") if done else _("Assess"),
                status=DONE if done else OPEN,
                order=45,
            )
        )
    return steps


def next_steps(user: Any, programme: Programme) -> list[NextStep]:
    if Role.PEER not in roles_in(user, programme):
        return []
    assessed = assessment_steps(user, programme)
    group = published_group_of(user, programme)
    if group is None:
        return assessed
    journal = reverse("group_life:journal", kwargs={"pk": programme.pk})
    steps = [
        NextStep(
            stage=nav.GROUP_LIFE,
            title=_("Work with your group"),
            detail=_("Agree on the problem you share, plan your meetings and build your product."),
            url=reverse("group_life:workspace", kwargs={"pk": programme.pk, "group_id": group.pk}),
            action=_("Open the workspace"),
            order=25,
        )
    ]
    unread = discussions.unread_count(user, programme)
    if unread:
        steps.append(
            NextStep(
                stage=nav.GROUP_LIFE,
                title=ngettext(
                    "%(count)d new message in your discussions",
                    "%(count)d new messages in your discussions",
                    unread,
                )
                % {"count": unread},
                detail=_("Replies to your threads, new threads in your spaces and mentions."),
                url=reverse("group_life:discussion_notifications", kwargs={"pk": programme.pk}),
                action=_("Read them"),
                order=30,
            )
        )
    prompts = selectors.open_prompts(user, programme)
    if prompts:
        steps.append(
            NextStep(
                stage=nav.GROUP_LIFE,
                title=ngettext(
                    "Your facilitator asked a reflection question",
                    "Your facilitator asked %(count)d reflection questions",
                    len(prompts),
                )
                % {"count": len(prompts)},
                detail=prompts[0].question,
                url=journal,
                action=_("Answer"),
                order=40,
            )
        )
    written = selectors.own_reflections(user, programme).count()
    steps.append(
        NextStep(
            stage=nav.GROUP_LIFE,
            title=ngettext("%(count)d reflection written", "%(count)d reflections written", written)
            % {"count": written}
            if written
            else _("Write a first reflection"),
            detail="" if written else _("What did you learn, and what will you try at work?"),
            url=journal,
            action=_("Reflection journal"),
            status=DONE if written else OPEN,
            order=45,
        )
    )
    return steps + assessed
