"""Pages of the shared learning agenda (topics, votes, comments, polls) and of the network's
governance (steering group, decisions, partners and resources). One view per action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest

from . import selectors, services
from .forms_agenda import (
    ConversationToolForm,
    DecisionForm,
    PollAnswerForm,
    PollForm,
    ResourceForm,
    ScheduleTopicForm,
    SteeringMeetingForm,
    SteeringMemberForm,
    TopicCommentForm,
    TopicForm,
)
from .models import Programme
from .views_setup import programme_with_perm


def _agenda_page(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    user = request.user
    context = {
        "programme": programme,
        "topics": selectors.topics_by_votes(user, programme),
        "polls": selectors.polls_of(user, programme),
        "topic_form": forms.get("topic_form") or TopicForm(),
        "poll_form": forms.get("poll_form") or PollForm(),
        "schedule_form": ScheduleTopicForm(),
        "can_shape": user.has_perm("programmes.shape_agenda", programme),
        "can_manage": user.has_perm("programmes.manage_agenda", programme),
    }
    return render(request, "programmes/agenda.html", context, status=status)


@login_required
@require_GET
def agenda(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.view_agenda")
    return _agenda_page(request, programme)


@login_required
@require_POST
def propose_topic(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.shape_agenda")
    form = TopicForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.propose_topic(
                programme=programme, proposed_by=request.user, **form.cleaned_data
            )
            messages.success(request, _("Your topic is on the agenda, with your vote."))
            return redirect("programmes:agenda", pk=programme.pk)
    return _agenda_page(request, programme, status=400, topic_form=form)


@login_required
@require_POST
def vote_topic(request: AuthenticatedHttpRequest, pk: int, topic_id: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.shape_agenda")
    topic = selectors.get_topic(programme, topic_id)
    if services.toggle_topic_vote(topic=topic, user=request.user):
        messages.success(request, _("Your vote is counted."))
    else:
        messages.success(request, _("Your vote is taken back."))
    return redirect("programmes:agenda", pk=programme.pk)


@login_required
@require_GET
def topic(request: AuthenticatedHttpRequest, pk: int, topic_id: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.view_agenda")
    found = selectors.get_topic(programme, topic_id)
    return _topic_page(request, programme, found)


def _topic_page(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    found: Any,
    form: TopicCommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "programmes/agenda_topic.html",
        {
            "programme": programme,
            "topic": found,
            "comments": found.comments.select_related("author"),
            "votes": found.votes.count(),
            "form": form or TopicCommentForm(),
            "schedule_form": ScheduleTopicForm(),
            "can_shape": user.has_perm("programmes.shape_agenda", programme),
            "can_manage": user.has_perm("programmes.manage_agenda", programme),
        },
        status=status,
    )


@login_required
@require_POST
def comment_topic(request: AuthenticatedHttpRequest, pk: int, topic_id: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.shape_agenda")
    found = selectors.get_topic(programme, topic_id)
    form = TopicCommentForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.comment_on_topic(topic=found, author=request.user, **form.cleaned_data)
            messages.success(request, _("Your comment is added."))
            return redirect("programmes:agenda_topic", pk=programme.pk, topic_id=found.pk)
    return _topic_page(request, programme, found, form=form, status=400)


@login_required
@require_POST
def schedule_topic(request: AuthenticatedHttpRequest, pk: int, topic_id: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.manage_agenda")
    found = selectors.get_topic(programme, topic_id)
    form = ScheduleTopicForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the kind of activity, its start and its length."))
        return redirect("programmes:agenda_topic", pk=programme.pk, topic_id=found.pk)
    with service_errors(request):
        activity = services.schedule_topic(
            topic=found,
            by=request.user,
            kind=form.cleaned_data["kind"],
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.ends_at(),
            location=form.cleaned_data["location"],
        )
        messages.success(request, _("The topic is now an activity of the programme."))
        return redirect("programmes:activity_detail", pk=programme.pk, activity=activity.pk)
    return redirect("programmes:agenda_topic", pk=programme.pk, topic_id=found.pk)


@login_required
@require_POST
def create_poll(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.manage_agenda")
    form = PollForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.create_poll(
                programme=programme,
                created_by=request.user,
                question=form.cleaned_data["question"],
                options=form.option_lines(),
                closes_on=form.cleaned_data["closes_on"],
            )
            messages.success(request, _("The poll is open."))
            return redirect("programmes:agenda", pk=programme.pk)
    return _agenda_page(request, programme, status=400, poll_form=form)


@login_required
@require_POST
def answer_poll(request: AuthenticatedHttpRequest, pk: int, poll_id: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.shape_agenda")
    poll = selectors.get_poll(programme, poll_id)
    form = PollAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the poll's options."))
    else:
        with service_errors(request):
            services.answer_poll(
                poll=poll, option_id=form.cleaned_data["option"], user=request.user
            )
            messages.success(request, _("Your answer is counted."))
    return redirect("programmes:agenda", pk=programme.pk)


# Governance


def _people(programme: Programme) -> QuerySet[Any]:
    ids = selectors.all_memberships().filter(programme=programme).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("full_name", "email")


def _governance_page(
    request: AuthenticatedHttpRequest, programme: Programme, status: int = 200, **forms: Form
) -> HttpResponse:
    user = request.user
    can_see_resources = user.has_perm("programmes.view_resources", programme)
    can_manage = user.has_perm("programmes.manage_steering_group", programme)
    meetings = selectors.steering_meetings(programme)
    context = {
        "programme": programme,
        "members": selectors.steering_members(programme),
        "meetings": meetings,
        "decisions": selectors.steering_decisions(programme),
        "inputs": selectors.inputs_of(programme) if can_see_resources else None,
        "resources": selectors.resources_of(programme) if can_see_resources else None,
        "can_manage": can_manage,
        "can_decide": user.has_perm("programmes.record_decision", programme),
        "can_fund": user.has_perm("programmes.manage_resources", programme),
        "member_form": forms.get("member_form")
        or (SteeringMemberForm(people=_people(programme)) if can_manage else None),
        "meeting_form": forms.get("meeting_form") or SteeringMeetingForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(meetings=meetings),
        "resource_form": forms.get("resource_form") or ResourceForm(),
    }
    return render(request, "programmes/governance.html", context, status=status)


@login_required
@require_GET
def governance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.view_governance")
    return _governance_page(request, programme)


def _governance_action(
    perm: str, form_name: str, make_form: Callable[[Any, Programme], Form], done: Any
) -> Callable[..., HttpResponse]:
    """A view that validates one governance form and saves it through a service."""

    @login_required
    @require_POST
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        programme = programme_with_perm(request, pk, perm)
        form = make_form(request.POST, programme)
        if form.is_valid():
            with service_errors(form):
                _save(form_name, request, programme, form.cleaned_data)
                messages.success(request, str(done))
                return redirect("programmes:governance", pk=programme.pk)
        return _governance_page(request, programme, status=400, **{form_name: form})

    view.__name__ = form_name.replace("_form", "")
    return view


def _save(
    form_name: str,
    request: AuthenticatedHttpRequest,
    programme: Programme,
    data: dict[str, Any],
) -> None:
    if form_name == "member_form":
        services.add_steering_member(
            programme=programme, user=data["user"], position=data["position"]
        )
    elif form_name == "meeting_form":
        services.record_steering_meeting(programme=programme, **data)
    elif form_name == "decision_form":
        meeting = (
            selectors.steering_meetings(programme).filter(pk=int(data["meeting"])).first()
            if data["meeting"]
            else None
        )
        services.record_decision(
            programme=programme,
            recorded_by=request.user,
            text=data["text"],
            decided_on=data["decided_on"],
            meeting=meeting,
        )
    else:
        services.add_resource(programme=programme, **data)


add_steering_member = _governance_action(
    "programmes.manage_steering_group",
    "member_form",
    lambda data, programme: SteeringMemberForm(data, people=_people(programme)),
    gettext_lazy("The steering group has a new member."),
)
record_steering_meeting = _governance_action(
    "programmes.manage_steering_group",
    "meeting_form",
    lambda data, programme: SteeringMeetingForm(data),
    gettext_lazy("The meeting is recorded."),
)
record_decision = _governance_action(
    "programmes.record_decision",
    "decision_form",
    lambda data, programme: DecisionForm(data, meetings=selectors.steering_meetings(programme)),
    gettext_lazy("The decision is in the log."),
)
add_resource = _governance_action(
    "programmes.manage_resources",
    "resource_form",
    lambda data, programme: ResourceForm(data),
    gettext_lazy("The resource is recorded."),
)


@login_required
@require_POST
def attach_tool(request: AuthenticatedHttpRequest, pk: int, activity: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.manage_activities")
    item = selectors.get_activity_for(request.user, programme, activity)
    form = ConversationToolForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the guided conversations."))
    else:
        with service_errors(request):
            services.attach_conversation_tool(activity=item, tool=form.cleaned_data["tool"])
            messages.success(request, _("The guided conversation is saved with the activity."))
    return redirect("programmes:activity_detail", pk=programme.pk, activity=item.pk)
