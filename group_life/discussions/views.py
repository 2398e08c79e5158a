"""Pages of the discussions. Every thread is read through the selectors, so a thread outside
the person's spaces answers 404 wherever its id is used."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest
from programmes.selectors import all_programmes, knowledge_products_for

from ..access import programme_for
from . import emails, markup, selectors, services
from .forms import EmailChoiceForm, MoveForm, ReplyForm, SearchForm, ThreadForm
from .models import Reaction, Thread

PAGE_SIZE = 25


def _index(
    request: AuthenticatedHttpRequest, pk: int, form: ThreadForm | None = None, status: int = 200
) -> HttpResponse:
    programme = programme_for(request, pk, "group_life.view_discussions")
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    threads = selectors.with_counts(selectors.search_threads(request.user, programme, query))
    page = Paginator(threads, PAGE_SIZE).get_page(request.GET.get("page"))
    spaces = selectors.spaces_for(request.user, programme)
    if form is None:
        form = ThreadForm(spaces=spaces, products=knowledge_products_for(request.user, programme))
    context = {
        "programme": programme,
        "page": page,
        "threads": [(thread, selectors.space_label(thread)) for thread in page.object_list],
        "search": search,
        "query": query,
        "form": form,
        "can_start": bool(spaces),
        "unread": selectors.unread_count(request.user, programme),
    }
    return render(request, "group_life/discussions/index.html", context, status=status)


@login_required
@require_GET
def discussions(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _index(request, pk)


@login_required
@require_POST
def start_thread(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk, "group_life.view_discussions")
    spaces = selectors.spaces_for(request.user, programme)
    form = ThreadForm(
        request.POST, spaces=spaces, products=knowledge_products_for(request.user, programme)
    )
    if form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            thread = services.start_thread(
                programme=programme,
                author=request.user,
                space=services.space_for_key(request.user, programme, data["space"]),
                title=data["title"],
                body=data["body"],
                attachment=form.attachment(),
            )
            messages.success(request, _("Your thread is started."))
            return redirect("group_life:thread", thread_id=thread.pk)
    return _index(request, pk, form=form, status=400)


def _thread_for(request: AuthenticatedHttpRequest, thread_id: int) -> Thread:
    thread = selectors.get_thread_for(request.user, thread_id)
    if not request.user.has_perm("group_life.read_thread", thread):
        raise PermissionDenied(_("This discussion is not open to you."))
    return thread


def _thread_page(
    request: AuthenticatedHttpRequest,
    thread: Thread,
    form: ReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    programme = thread.programme
    products = knowledge_products_for(user, programme)
    posts = [(post, markup.render(post.body)) for post in selectors.posts_of(thread)]
    moderator = user.has_perm("group_life.moderate_discussions", programme)
    context = {
        "programme": programme,
        "thread": thread,
        "space": selectors.space_label(thread),
        "posts": posts,
        "mine_keys": {f"{post_id}:{kind}" for post_id, kind in selectors.reacted(user, thread)},
        "form": form or ReplyForm(products=products),
        "can_reply": user.has_perm("group_life.reply_in_thread", thread),
        "moderator": moderator,
        "move_form": MoveForm(spaces=selectors.spaces_for(user, programme)) if moderator else None,
    }
    return render(request, "group_life/discussions/thread.html", context, status=status)


@login_required
@require_GET
def thread(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    found = _thread_for(request, thread_id)
    services.mark_read(user=request.user, programme=found.programme, thread=found)
    return _thread_page(request, found)


@login_required
@require_POST
def reply(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    found = _thread_for(request, thread_id)
    if not request.user.has_perm("group_life.reply_in_thread", found):
        raise PermissionDenied(_("This thread is locked: no more replies."))
    form = ReplyForm(request.POST, products=knowledge_products_for(request.user, found.programme))
    if form.is_valid():
        with service_errors(form):
            post = services.reply(
                thread=found,
                author=request.user,
                body=form.cleaned_data["body"],
                attachment=form.attachment(),
            )
            messages.success(request, _("Your reply is posted."))
            return redirect(reverse("group_life:thread", args=[found.pk]) + f"#post-{post.pk}")
    return _thread_page(request, found, form=form, status=400)


def _reaction_view(kind: str) -> Callable[..., HttpResponse]:
    @login_required
    @require_POST
    def view(request: AuthenticatedHttpRequest, thread_id: int, post_id: int) -> HttpResponse:
        found = _thread_for(request, thread_id)
        post = selectors.get_post_in(found, post_id)
        with service_errors(request):
            on = services.react(post=post, user=request.user, kind=kind)
            if kind == Reaction.Kind.SOLVED and on:
                messages.success(
                    request,
                    _(
                        "Marked: this solved your problem. "
                        "You can tell it as a value-creation story."
                    ),
                )
        return redirect(reverse("group_life:thread", args=[found.pk]) + f"#post-{post.pk}")

    view.__name__ = f"react_{kind}"
    return view


react_useful = _reaction_view(Reaction.Kind.USEFUL)
react_solved = _reaction_view(Reaction.Kind.SOLVED)


def _moderation_view(field: str, value: bool, done: str) -> Callable[..., HttpResponse]:
    @login_required
    @require_POST
    def view(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
        found = _thread_for(request, thread_id)
        if not request.user.has_perm("group_life.moderate_discussions", found.programme):
            raise PermissionDenied(_("Only a facilitator moderates discussions."))
        with service_errors(request):
            if field == "hidden":
                services.set_hidden(thread=found, by=request.user, hidden=value)
            else:
                services.set_locked(thread=found, by=request.user, locked=value)
            messages.success(request, done)
        return redirect("group_life:thread", thread_id=found.pk)

    view.__name__ = f"set_{field}_{value}"
    return view


hide_thread = _moderation_view("hidden", True, _("The thread is hidden from the peers."))
show_thread = _moderation_view("hidden", False, _("The thread is shown again."))
lock_thread = _moderation_view("locked", True, _("The thread is locked."))
unlock_thread = _moderation_view("locked", False, _("The thread is open for replies again."))


@login_required
@require_POST
def move_thread(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    found = _thread_for(request, thread_id)
    programme = found.programme
    if not request.user.has_perm("group_life.moderate_discussions", programme):
        raise PermissionDenied(_("Only a facilitator moderates discussions."))
    form = MoveForm(request.POST, spaces=selectors.spaces_for(request.user, programme))
    if form.is_valid():
        with service_errors(request):
            services.move_thread(
                thread=found,
                by=request.user,
                to=services.space_for_key(request.user, programme, form.cleaned_data["space"]),
            )
            messages.success(request, _("The thread is moved."))
    else:
        messages.error(request, _("Choose a space of this programme."))
    return redirect("group_life:thread", thread_id=found.pk)


@login_required
@require_GET
def notifications(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk, "group_life.view_discussions")
    notes = selectors.notifications_for(request.user, programme)
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "group_life/discussions/notifications.html",
        {"programme": programme, "page": page},
    )


@login_required
@require_POST
def mark_all_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk, "group_life.view_discussions")
    services.mark_read(user=request.user, programme=programme)
    messages.success(request, _("Every notification is marked read."))
    return redirect("group_life:discussion_notifications", pk=programme.pk)


@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk, "group_life.view_discussions")
    preference = selectors.preference_of(request.user, programme)
    form = EmailChoiceForm(request.POST or None, initial={"email": preference.email})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with service_errors(form):
                services.set_email_choice(
                    user_id=request.user.pk,
                    programme_id=programme.pk,
                    email=form.cleaned_data["email"],
                )
                messages.success(request, _("Your choice is saved."))
                return redirect("group_life:discussion_settings", pk=programme.pk)
        status = 400
    return render(
        request,
        "group_life/discussions/settings.html",
        {"programme": programme, "form": form},
        status=status,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in discussion emails: no login; a POST (the mail client's one click, or the
    button) stops the emails of that programme's discussions."""
    data = emails.read_unsubscribe_token(token)
    template = "group_life/discussions/unsubscribe.html"
    if data is None:
        return render(request, template, {"invalid": True}, status=404)
    user_id, programme_id = data
    programme = get_object_or_404(all_programmes(), pk=programme_id)
    done = False
    if request.method == "POST":
        services.set_email_choice(user_id=user_id, programme_id=programme_id, email="never")
        done = True
    return render(
        request,
        template,
        {
            "programme_name": programme.name,
            "done": done,
            "action": reverse("group_life:discussion_unsubscribe", args=[token]),
        },
    )
