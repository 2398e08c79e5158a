"""Pages to set a programme up: the programme, theory of change, objectives, checklist, cohorts,
working groups, the facilitator overview, and a peer's own page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerlearn.errors import service_errors
from peerlearn.fields import PEOPLE_IN_A_LIST
from peerlearn.flags import current_flags, summarise_flags
from peerlearn.http import AuthenticatedHttpRequest, posted_ids
from peerlearn.listing import paginate

from . import selectors, services, standings
from .filters import StandingFilters
from .forms import (
    CohortForm,
    LearningObjectiveForm,
    PeerObjectiveForm,
    ProgrammeForm,
    TheoryOfChangeForm,
    WorkingGroupForm,
)
from .models import GoalType, Membership, Programme, WorkingGroup

MAX_OBJECTIVES = services.MAX_OBJECTIVES_ADVISED


def programme_with_perm(request: AuthenticatedHttpRequest, pk: int, perm: str) -> Programme:
    """The programme (404 outside the user's programmes), if the user holds ``perm`` (403)."""
    programme = selectors.get_programme_for(request.user, pk)
    if not request.user.has_perm(perm, programme):
        raise PermissionDenied(_("You do not have the right to do this in this programme."))
    return programme


def base_context(
    request: AuthenticatedHttpRequest, programme: Programme, **extra: Any
) -> dict[str, Any]:
    return {"programme": programme, **extra}


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_perm("programmes.create_programme"):
        raise PermissionDenied(
            _("Programmes are created by facilitators. Ask a site administrator for access.")
        )
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = services.create_programme(created_by=request.user, **form.cleaned_data)
        messages.success(
            request, _("%(name)s is created. Next: its theory of change.") % {"name": programme}
        )
        return redirect("programmes:setup", pk=programme.pk)
    return render(request, "programmes/programme_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.change_programme")
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        services.update_programme(programme=programme, **form.cleaned_data)
        messages.success(request, _("The programme is saved."))
        return redirect("programmes:setup", pk=programme.pk)
    return render(
        request, "programmes/programme_form.html", base_context(request, programme, form=form)
    )


@login_required
def setup(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The programme's foundations: theory of change, objectives, checklist, cohorts."""
    programme = programme_with_perm(request, pk, "programmes.view_programme")
    objectives = list(programme.learning_objectives.all())
    context = base_context(
        request,
        programme,
        theory=selectors.theory_of_change(programme),
        objectives=objectives,
        too_many_objectives=len(objectives) > MAX_OBJECTIVES,
        max_objectives=MAX_OBJECTIVES,
        checklist=selectors.checklist_with_answers(programme),
        checklist_answered=selectors.checklist_answered_count(programme),
        cohorts=programme.cohorts.prefetch_related("working_groups__members__user"),
        can_change=request.user.has_perm("programmes.change_programme", programme),
    )
    return render(request, "programmes/setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def theory_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.change_programme")
    form = TheoryOfChangeForm(request.POST or None, instance=selectors.theory_of_change(programme))
    if request.method == "POST" and form.is_valid():
        services.save_theory_of_change(
            programme=programme,
            user=request.user,
            **form.cleaned_data,
        )
        messages.success(request, _("The theory of change is saved."))
        return redirect("programmes:setup", pk=programme.pk)
    return render(
        request, "programmes/theory_form.html", base_context(request, programme, form=form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def objectives(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.change_programme")
    form = LearningObjectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_learning_objective(programme=programme, **form.cleaned_data)
        count = programme.learning_objectives.count()
        if count > MAX_OBJECTIVES:
            messages.warning(
                request,
                _(
                    "The objective is added. The programme now has %(count)s objectives: a "
                    "short list (five at most) is easier to pursue and to evaluate."
                )
                % {"count": count},
            )
        else:
            messages.success(request, _("The objective is added."))
        return redirect("programmes:objectives", pk=programme.pk)
    items = list(programme.learning_objectives.all())
    context = base_context(
        request,
        programme,
        form=form,
        objectives=items,
        too_many_objectives=len(items) > MAX_OBJECTIVES,
        max_objectives=MAX_OBJECTIVES,
        goal_types=GoalType.choices,
    )
    return render(request, "programmes/objectives.html", context)


@login_required
@require_POST
def objective_delete(request: AuthenticatedHttpRequest, pk: int, objective: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.change_programme")
    item = get_object_or_404(programme.learning_objectives, pk=objective)
    services.delete_learning_objective(objective=item)
    messages.success(request, _("The objective is removed."))
    return redirect("programmes:objectives", pk=programme.pk)


@login_required
@require_http_methods(["GET", "POST"])
def checklist(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.change_programme")
    parts = selectors.checklist_with_answers(programme)
    if request.method == "POST":
        answers = {
            question["key"]: request.POST.get(question["key"], "")[:5000]
            for part in parts
            for question in part["questions"]
        }
        services.save_checklist_answers(
            programme=programme,
            user=request.user,
            answers=answers,
        )
        messages.success(request, _("The checklist answers are saved."))
        return redirect("programmes:setup", pk=programme.pk)
    return render(
        request, "programmes/checklist.html", base_context(request, programme, parts=parts)
    )


def _cohorts_page(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    *,
    cohort_form: CohortForm | None = None,
    group_form: WorkingGroupForm | None = None,
) -> HttpResponse:
    # Members are ticked in a list when the peers are few, typed by email when they are many.
    peers = list(selectors.peers_of(programme)[: PEOPLE_IN_A_LIST + 1])
    context = base_context(
        request,
        programme,
        cohort_form=cohort_form or CohortForm(prefix="cohort"),
        group_form=group_form or WorkingGroupForm(programme=programme, prefix="group"),
        cohorts=programme.cohorts.prefetch_related(
            Prefetch(
                "working_groups",
                queryset=WorkingGroup.objects.annotate(member_count=Count("members")).order_by(
                    "name"
                ),
            )
        ),
        peers=peers if len(peers) <= PEOPLE_IN_A_LIST else None,
    )
    return render(request, "programmes/cohorts.html", context)


@login_required
@require_GET
def cohorts(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The cohorts and their working groups, with the forms to add them."""
    programme = programme_with_perm(request, pk, "programmes.change_programme")
    return _cohorts_page(request, programme)


@login_required
@require_POST
def cohort_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.change_programme")
    form = CohortForm(request.POST, prefix="cohort")
    if form.is_valid():
        with service_errors(request):
            services.add_cohort(programme=programme, **form.cleaned_data)
            messages.success(request, _("The cohort is added."))
            return redirect("programmes:cohorts", pk=programme.pk)
    return _cohorts_page(request, programme, cohort_form=form)


@login_required
@require_POST
def working_group_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.change_programme")
    form = WorkingGroupForm(request.POST, programme=programme, prefix="group")
    if form.is_valid():
        data = form.cleaned_data
        members = (
            selectors.peers_of(programme)
            .filter(cohort=data["cohort"])
            .filter(
                Q(pk__in=posted_ids(request.POST.getlist("members")))
                | Q(user__email__in=data["member_emails"])
            )
        )
        with service_errors(request):
            services.add_working_group(
                cohort=data["cohort"],
                name=data["name"],
                component=data["component"],
                members=members,
            )
            messages.success(request, _("The working group is added."))
            return redirect("programmes:cohorts", pk=programme.pk)
    return _cohorts_page(request, programme, group_form=form)


@login_required
def overview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Where each peer stands, and the risk flags of every stage."""
    programme = programme_with_perm(request, pk, "programmes.view_overview")
    filters = StandingFilters(
        request,
        programme=programme,
        organisations=selectors.organisations_visible_to(request.user, programme),
    )
    listing = paginate(
        request,
        standings.standing_rows(request.user, programme, **filters.arguments()),
        filters=filters,
        label=_("Pages of peers"),
    )
    context = base_context(
        request,
        programme,
        standings=standings.standings_for(programme, listing),
        listing=listing,
        totals=standings.standing_totals(request.user, programme),
        flag_groups=summarise_flags(current_flags(programme)[0]),
        can_invite=request.user.has_perm("programmes.invite_people", programme),
    )
    return render(request, "programmes/overview.html", context)


def _own_objectives(request: AuthenticatedHttpRequest, pk: int) -> tuple[Programme, Membership]:
    programme = programme_with_perm(request, pk, "programmes.keep_own_objectives")
    membership = selectors.my_peer_membership(request.user, programme)
    if membership is None:
        raise PermissionDenied(_("Only peers keep their own learning objectives."))
    return programme, membership


@login_required
@require_http_methods(["GET", "POST"])
def my_objectives(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A peer's own learning objectives: the learner is a learning agent."""
    programme, membership = _own_objectives(request, pk)
    form = PeerObjectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_peer_objective(membership=membership, **form.cleaned_data)
        messages.success(request, _("Your objective is added."))
        return redirect("programmes:my_objectives", pk=programme.pk)
    context = base_context(
        request,
        programme,
        form=form,
        own_objectives=membership.own_objectives.all(),
        programme_objectives=programme.learning_objectives.all(),
    )
    return render(request, "programmes/my_objectives.html", context)


@login_required
@require_POST
def my_objective_delete(request: AuthenticatedHttpRequest, pk: int, objective: int) -> HttpResponse:
    programme, membership = _own_objectives(request, pk)
    item = get_object_or_404(membership.own_objectives, pk=objective)
    services.delete_peer_objective(objective=item)
    messages.success(request, _("The objective is removed."))
    return redirect("programmes:my_objectives", pk=programme.pk)
