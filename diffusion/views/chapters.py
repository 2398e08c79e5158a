"""Domestic chapters: launching one, its members and meetings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest
from programmes.selectors import get_programme_for

from .. import forms, selectors, services
from .common import require


@login_required
@require_http_methods(["GET", "POST"])
def chapter_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    require(request, "diffusion.add_chapter", programme, _("Only peers launch chapters."))
    organisation = selectors.peer_organisation(request.user, programme)
    initial = {"country": organisation.country if organisation else "", "launched_on": None}
    form = forms.ChapterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            chapter = services.launch_chapter(
                programme=programme, founded_by=request.user, **form.cleaned_data
            )
            messages.success(request, _("The chapter is launched."))
            return redirect(chapter)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "diffusion/chapter_form.html",
        {"programme": programme, "form": form},
        status=status,
    )


def _get_chapter(request: AuthenticatedHttpRequest, chapter_pk: int) -> Any:
    chapter = selectors.get_chapter_for(request.user, chapter_pk)
    require(request, "diffusion.view_chapter", chapter, _("You cannot see this chapter."))
    return chapter


def _chapter_page(request: AuthenticatedHttpRequest, chapter: Any, **forms_: Any) -> HttpResponse:
    context = {
        "programme": chapter.programme,
        "chapter": chapter,
        "members": chapter.members.all(),
        "meetings": chapter.meetings.all(),
        "member_form": forms_.get("member_form") or forms.ChapterMemberForm(),
        "meeting_form": forms_.get("meeting_form") or forms.ChapterMeetingForm(),
    }
    return render(request, "diffusion/chapter_detail.html", context, status=400 if forms_ else 200)


@login_required
def chapter_detail(request: AuthenticatedHttpRequest, chapter_pk: int) -> HttpResponse:
    return _chapter_page(request, _get_chapter(request, chapter_pk))


@login_required
@require_POST
def chapter_member_add(request: AuthenticatedHttpRequest, chapter_pk: int) -> HttpResponse:
    chapter = _get_chapter(request, chapter_pk)
    require(request, "diffusion.change_chapter", chapter, _("Only the chapter's founder can."))
    form = forms.ChapterMemberForm(request.POST)
    if not form.is_valid():
        return _chapter_page(request, chapter, member_form=form)
    with service_errors(form):
        services.add_chapter_member(chapter=chapter, **form.cleaned_data)
        messages.success(request, _("The member is added."))
        return redirect(chapter)
    return _chapter_page(request, chapter, member_form=form)


@login_required
@require_POST
def chapter_meeting_add(request: AuthenticatedHttpRequest, chapter_pk: int) -> HttpResponse:
    chapter = _get_chapter(request, chapter_pk)
    require(request, "diffusion.change_chapter", chapter, _("Only the chapter's founder can."))
    form = forms.ChapterMeetingForm(request.POST)
    if not form.is_valid():
        return _chapter_page(request, chapter, meeting_form=form)
    services.add_chapter_meeting(chapter=chapter, **form.cleaned_data)
    messages.success(request, _("The meeting is recorded."))
    return redirect(chapter)
