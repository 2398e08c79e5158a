"""Pages of the reflection journal. A private entry is shown to its author only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest
from programmes.selectors import activities_for, get_programme_for

from . import selectors, services
from .forms import PromptForm, ReflectionForm


@login_required
@require_http_methods(["GET", "POST"])
def journal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    if not request.user.has_perm("group_life.keep_journal", programme):
        raise PermissionDenied(_("The reflection journal is for the programme's peers."))
    user = request.user
    form = ReflectionForm(
        request.POST or None,
        user=user,
        programme=programme,
        initial={"prompt": request.GET.get("prompt")},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            prompts = {p.pk: p for p in selectors.open_prompts(user, programme)}
            with service_errors(form):
                services.write_reflection(
                    programme=programme,
                    author=user,
                    learned=data["learned"],
                    from_whom=data["from_whom"],
                    will_act=data["will_act"],
                    visibility=data["visibility"],
                    activity=activities_for(user, programme).filter(pk=data["activity"]).first()
                    if data["activity"]
                    else None,
                    peer=data["peer"],
                    prompt=prompts.get(data["prompt"]) if data["prompt"] else None,
                )
                messages.success(request, _("Your reflection is saved."))
                return redirect("group_life:journal", pk=programme.pk)
        status = 400
    context = {
        "programme": programme,
        "form": form,
        "own": list(selectors.own_reflections(user, programme)),
        "shared": list(selectors.shared_with(user, programme)),
        "prompts": selectors.open_prompts(user, programme),
    }
    return render(request, "group_life/journal.html", context, status=status)


@login_required
@require_GET
def reflection(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_reflection_for(request.user, pk)
    if not request.user.has_perm("group_life.view_reflection", entry):
        raise PermissionDenied(_("You may not read this reflection."))
    return render(request, "group_life/reflection.html", {"entry": entry})


@login_required
@require_POST
def send_prompt(request: AuthenticatedHttpRequest, pk: int, group_id: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    group = selectors.get_workspace_group(request.user, programme, group_id)
    if not request.user.has_perm("group_life.send_reflection_prompt", group):
        raise PermissionDenied(_("Only a facilitator sends reflection prompts."))
    form = PromptForm(request.POST)
    if form.is_valid():
        with service_errors(request):
            services.send_prompt(
                group=group,
                by=request.user,
                question=form.cleaned_data["question"],
                due_on=form.cleaned_data["due_on"],
            )
            messages.success(request, _("The prompt is sent to the group."))
    else:
        messages.error(
            request, _("Write the question and the date by which the group should answer.")
        )
    return redirect("group_life:workspace", pk=programme.pk, group_id=group.pk)
