"""Value-creation stories: telling one, reading it, and telling how it ended."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from group_life.selectors import story_draft_from_thread
from peerlearn.http import AuthenticatedHttpRequest
from peerlearn.listing import paginate

from .. import selectors, services
from ..forms import FollowUpForm, StoryForm
from ..models import Wave
from .common import programme_with_perm, require_personal


@login_required
@require_http_methods(["GET", "POST"])
def stories(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(
        request, pk, "evaluation.view_section", _("You have no role in this programme.")
    )
    can_write = rules.has_perm("evaluation.take_part", request.user, programme)
    form = StoryForm(
        request.POST if request.method == "POST" else None,
        initial=story_draft_from_thread(
            request.user, programme, request.GET.get("thread"), request.GET.get("post")
        ),
    )
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("Value-creation stories are told by the programme's peers."))
        if form.is_valid():
            story = services.start_story(
                programme=programme,
                author=request.user,
                **form.cleaned_data,
            )
            messages.success(request, _("Your story is saved. You will be asked how it ended."))
            return redirect("evaluation:story", pk=story.pk)
    return render(
        request,
        "evaluation/stories.html",
        {
            "programme": programme,
            "stories": paginate(
                request,
                selectors.stories_for(request.user, programme).order_by("-created_at", "pk"),
                label=_("Pages of stories"),
            ),
            "form": form,
            "can_write": can_write,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def story_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    story = selectors.get_story_for(request.user, pk)
    require_personal(
        request.user, "evaluation.view_story", story, _("This story is not shared with you.")
    )
    return render(
        request,
        "evaluation/story_detail.html",
        {
            "story": story,
            "programme": story.programme,
            "can_follow_up": rules.has_perm("evaluation.follow_up_story", request.user, story),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_follow_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    story = selectors.get_story_for(request.user, pk)
    require_personal(
        request.user,
        "evaluation.follow_up_story",
        story,
        _("Only the story's author can tell how it continued."),
    )
    form = FollowUpForm(
        request.POST if request.method == "POST" else None,
        initial={"applied_value": story.applied_value, "realised_value": story.realised_value},
    )
    if request.method == "POST" and form.is_valid():
        follow_up_wave = (
            selectors.waves_for(request.user, story.programme)
            .filter(
                status=Wave.Status.OPEN,
                kind__in=[Wave.Kind.PLUS_3, Wave.Kind.PLUS_6, Wave.Kind.PLUS_12],
            )
            .order_by("-opens_on")
            .first()
        )
        services.follow_up_story(story=story, wave=follow_up_wave, **form.cleaned_data)
        messages.success(request, _("Thank you: your story now has its ending."))
        return redirect("evaluation:story", pk=story.pk)
    return render(
        request,
        "evaluation/story_follow_up.html",
        {"story": story, "programme": story.programme, "form": form},
        status=400 if request.method == "POST" else 200,
    )
