"""Impact stories: changes in organisations, policies or laws, with evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest
from programmes.selectors import get_programme_for, memberships_visible_to

from .. import forms, selectors, services
from .common import require


@login_required
@require_http_methods(["GET", "POST"])
def story_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    require(
        request, "diffusion.add_story", programme, _("Only peers and facilitators add stories.")
    )
    form = forms.StoryForm(request.POST or None, programme=programme, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            story = services.record_story(
                programme=programme,
                recorded_by=request.user,
                title=data["title"],
                kind=data["kind"],
                description=data["description"],
                happened_on=data["happened_on"],
                evidence=data["evidence"],
                evidence_url=data["evidence_url"],
                organisation=data["organisation"],
                peers=list(data["peers"]),
                pilots=list(data["pilots"]),
            )
            messages.success(request, _("The impact story is recorded."))
            return redirect(story)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "diffusion/story_form.html", {"programme": programme, "form": form}, status=status
    )


@login_required
def story_detail(request: AuthenticatedHttpRequest, story_pk: int) -> HttpResponse:
    story = selectors.get_story_for(request.user, story_pk)
    require(request, "diffusion.view_story", story, _("You cannot see this story."))
    return render(
        request,
        "diffusion/story_detail.html",
        {
            "programme": story.programme,
            "story": story,
            "peers": story.peers.filter(
                pk__in=memberships_visible_to(request.user, story.programme).values("user_id")
            ),
            "pilots": story.pilots.all(),
        },
    )
