"""Pages of shared assessments. Thin: each checks a rule and calls selectors and services; each
change has its own address."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerlearn import charts
from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest
from programmes import selectors as programmes

from ..access import DENIED, programme_for
from . import selectors, services
from .forms import CriterionForm, ReviewForm, SelfAssessmentForm, ToolForm

if TYPE_CHECKING:
    from programmes.models import Programme

    from .models import AssessmentTool, SelfAssessment

VIEW = "group_life.view_assessments"
MANAGE = "group_life.manage_assessment_tools"


def _manage(request: AuthenticatedHttpRequest, pk: int) -> Programme:
    programme = programme_for(request, pk, VIEW)
    if not request.user.has_perm(MANAGE, programme):
        raise PermissionDenied(DENIED)
    return programme


@login_required
@require_GET
def assessments(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk, VIEW)
    return _list(request, programme, ToolForm())


def _list(
    request: AuthenticatedHttpRequest, programme: Programme, form: ToolForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "group_life/assessments/list.html",
        {
            "programme": programme,
            "tools": list(selectors.tools_of(programme)),
            "form": form,
            "can_manage": request.user.has_perm(MANAGE, programme),
        },
        status=status,
    )


@login_required
@require_POST
def tool_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = _manage(request, pk)
    form = ToolForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            tool = services.create_tool(programme=programme, by=request.user, **form.cleaned_data)
            messages.success(request, _("The tool is created; add its criteria."))
            return redirect("group_life:assessment_tool", pk=programme.pk, tool_id=tool.pk)
    return _list(request, programme, form, status=400)


def _tool_page(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    tool: AssessmentTool,
    form: CriterionForm,
    status: int = 200,
) -> HttpResponse:
    visible = list(selectors.assessments_visible_to(request.user, tool))
    own = selectors.own_organisation(request.user, programme)
    labels = selectors.anonymous_labels(tool)
    staff = request.user.has_perm(MANAGE, programme)
    own_id = own.pk if own else None
    rows = [(a, selectors.label_for(a, labels, own_id=own_id, staff=staff)) for a in visible]
    return render(
        request,
        "group_life/assessments/tool.html",
        {
            "programme": programme,
            "tool": tool,
            "assessments": rows,
            "own": own,
            "form": form,
            "can_manage": request.user.has_perm(MANAGE, programme),
            "can_assess": own is not None
            and request.user.has_perm("group_life.self_assess", programme),
        },
        status=status,
    )


@login_required
@require_GET
def tool_detail(request: AuthenticatedHttpRequest, pk: int, tool_id: int) -> HttpResponse:
    programme = programme_for(request, pk, VIEW)
    tool = selectors.get_tool(programme, tool_id)
    return _tool_page(request, programme, tool, CriterionForm())


@login_required
@require_POST
def criterion_add(request: AuthenticatedHttpRequest, pk: int, tool_id: int) -> HttpResponse:
    programme = _manage(request, pk)
    tool = selectors.get_tool(programme, tool_id)
    form = CriterionForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.add_criterion(tool=tool, **form.cleaned_data)
            messages.success(request, _("The criterion is added."))
            return redirect("group_life:assessment_tool", pk=programme.pk, tool_id=tool.pk)
    return _tool_page(request, programme, tool, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def self_assess(request: AuthenticatedHttpRequest, pk: int, tool_id: int) -> HttpResponse:
    programme = programme_for(request, pk, "group_life.self_assess")
    tool = selectors.get_tool(programme, tool_id)
    organisation = selectors.own_organisation(request.user, programme)
    if organisation is None:
        raise PermissionDenied(_("Only a peer who represents an organisation can self-assess."))
    round_number = _round(request.GET.get("round"))
    initial: dict[str, object] = {"round": round_number}
    existing = selectors.draft_of(tool, organisation, round_number)
    if existing is not None:
        initial["named_consent"] = existing.named_consent
        for criterion_id, score in selectors.scores_of(existing).items():
            initial[f"score_{criterion_id}"] = score.score
            initial[f"evidence_{criterion_id}"] = score.evidence
    form = SelfAssessmentForm(request.POST or None, tool=tool, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with service_errors(form):
                assessment = services.submit_self_assessment(
                    tool=tool,
                    by=request.user,
                    round_number=form.cleaned_data["round"],
                    scores=form.scores(),
                    evidence=form.evidence(),
                    named_consent=form.cleaned_data["named_consent"],
                )
                messages.success(request, _("Your organisation's self-assessment is saved."))
                return redirect(
                    "group_life:assessment",
                    pk=programme.pk,
                    tool_id=tool.pk,
                    assessment_id=assessment.pk,
                )
        status = 400
    return render(
        request,
        "group_life/assessments/self_assess.html",
        {"programme": programme, "tool": tool, "organisation": organisation, "form": form},
        status=status,
    )


def _round(value: str | None) -> int:
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return number if 1 <= number <= 99 else 1


def _assessment_page(
    request: AuthenticatedHttpRequest,
    programme: Programme,
    tool: AssessmentTool,
    assessment: SelfAssessment,
    form: ReviewForm,
    status: int = 200,
) -> HttpResponse:
    scores = selectors.scores_of(assessment)
    own = selectors.own_organisation(request.user, programme)
    name = selectors.label_for(
        assessment,
        selectors.anonymous_labels(tool),
        own_id=own.pk if own else None,
        staff=request.user.has_perm(MANAGE, programme),
    )
    return render(
        request,
        "group_life/assessments/assessment.html",
        {
            "programme": programme,
            "tool": tool,
            "assessment": assessment,
            "name": name,
            "rows": [(c, scores.get(c.pk)) for c in tool.criteria.all()],
            "reviews": list(selectors.reviews_of(assessment)),
            "form": form,
            "can_review": request.user.has_perm("group_life.review_assessment", assessment),
        },
        status=status,
    )


@login_required
@require_GET
def assessment_detail(
    request: AuthenticatedHttpRequest, pk: int, tool_id: int, assessment_id: int
) -> HttpResponse:
    programme = programme_for(request, pk, VIEW)
    tool = selectors.get_tool(programme, tool_id)
    assessment = selectors.get_assessment(request.user, tool, assessment_id)
    return _assessment_page(request, programme, tool, assessment, ReviewForm(tool=tool))


@login_required
@require_POST
def review_add(
    request: AuthenticatedHttpRequest, pk: int, tool_id: int, assessment_id: int
) -> HttpResponse:
    programme = programme_for(request, pk, VIEW)
    tool = selectors.get_tool(programme, tool_id)
    assessment = selectors.get_assessment(request.user, tool, assessment_id)
    if not request.user.has_perm("group_life.review_assessment", assessment):
        raise PermissionDenied(_("You cannot review your own organisation's assessment."))
    form = ReviewForm(request.POST, tool=tool)
    if form.is_valid():
        with service_errors(form):
            services.review_assessment(
                assessment=assessment,
                by=request.user,
                comment=form.cleaned_data["comment"],
                comments=form.comments(),
                suggested=form.suggested(),
            )
            messages.success(request, _("Your review is saved."))
            return redirect(
                "group_life:assessment",
                pk=programme.pk,
                tool_id=tool.pk,
                assessment_id=assessment.pk,
            )
    return _assessment_page(request, programme, tool, assessment, form, status=400)


@login_required
@require_GET
def benchmark(request: AuthenticatedHttpRequest, pk: int, tool_id: int) -> HttpResponse:
    programme = programme_for(request, pk, VIEW)
    tool = selectors.get_tool(programme, tool_id)
    criteria = list(tool.criteria.all())
    criterion = next((c for c in criteria if str(c.pk) == request.GET.get("criterion")), None)
    by = request.GET.get("by", selectors.BY_ORGANISATION)
    if by not in selectors.COMPARISONS:
        by = selectors.BY_ORGANISATION
    rounds = selectors.rounds_of(tool)
    chosen = (
        _round(request.GET.get("round"))
        if request.GET.get("round")
        else (rounds[-1] if rounds else None)
    )
    positions = selectors.benchmark(
        request.user, tool, criterion=criterion, by=by, round_number=chosen
    )
    top = tool.top_score or 1
    chart = charts.columns(
        [
            charts.ChartRow(
                label=p.label,
                share=min(p.value / top, 1.0),
                value=f"{p.value:.1f}",
                tone="series-2" if p.own else "series-1",
            )
            for p in positions
        ],
        axis_title=_("Score as a share of the top level (%(top)s)") % {"top": top},
    )
    context = {
        "programme": programme,
        "tool": tool,
        "criteria": criteria,
        "criterion": criterion,
        "by": by,
        "rounds": rounds,
        "round": chosen,
        "positions": positions,
        "chart": chart,
        "suggestions": selectors.deviance_suggestions(request.user, tool, criterion)
        if criterion
        else [],
        "staff_pairs": (
            selectors.deviance_pairs(tool, criterion)
            if criterion and request.user.has_perm(MANAGE, programme)
            else []
        ),
        "can_request_pair": request.user.has_perm("group_life.request_pair", programme),
    }
    return render(request, "group_life/assessments/benchmark.html", context)


@login_required
@require_POST
def deviance_pair(
    request: AuthenticatedHttpRequest, pk: int, tool_id: int, criterion_id: int, user_id: int
) -> HttpResponse:
    programme = programme_for(request, pk, "group_life.request_pair")
    tool = selectors.get_tool(programme, tool_id)
    criterion = tool.criteria.filter(pk=criterion_id).first()
    peer = programmes.cohort_mates(request.user, programme).filter(user_id=user_id).first()
    if criterion is None or peer is None:
        raise Http404
    with service_errors(request):
        pair = services.ask_better_peer_to_pair(
            tool=tool, criterion=criterion, by=request.user, peer=peer.user
        )
        messages.success(request, _("Your request is sent; your peer will answer."))
        return redirect("group_life:pair", pk=programme.pk, pair_id=pair.pk)
    url = reverse("group_life:benchmark", kwargs={"pk": programme.pk, "tool_id": tool.pk})
    return redirect(f"{url}?criterion={criterion.pk}")
