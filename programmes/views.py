"""Pages of programmes. Thin: they check permissions and call selectors and services."""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peerlearn.errors import service_errors
from peerlearn.flags import current_flags, grouped
from peerlearn.home import DONE, OPEN, by_stage, next_steps_for
from peerlearn.http import AuthenticatedHttpRequest
from peerlearn.roles import Role, roles_in

from . import selectors, services
from .checklist import TRUST_CHARTER
from .forms import AcceptInvitationForm, InviteForm

# The programmes list shows the next step of each of the first programmes.
MAX_PROGRAMMES_WITH_STEPS = 12


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "home_anonymous.html")
    programmes = list(selectors.programmes_for(request.user))
    roles = selectors.roles_by_programme(request.user)
    for index, programme in enumerate(programmes):
        programme.my_roles = roles.get(programme.pk, [])  # type: ignore[attr-defined]
        if index < MAX_PROGRAMMES_WITH_STEPS:
            todo = [s for s in next_steps_for(request.user, programme) if s.status == OPEN]
            programme.next_step = todo[0] if todo else None  # type: ignore[attr-defined]
    return render(request, "programmes/programme_list.html", {"programmes": programmes})


@login_required
def programme_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The programme's home: each person's next steps for their roles, the risk flags by stage
    for those who watch over the programme, and a sponsor's own peers."""
    programme = selectors.get_programme_for(request.user, pk)
    roles = roles_in(request.user, programme)
    steps = next_steps_for(request.user, programme)
    context: dict[str, Any] = {
        "programme": programme,
        "my_roles": sorted(str(Role(role).label) for role in roles),
        "steps": steps,
        "peer_only": roles == {Role.PEER},
        "step_groups": by_stage(steps),
        "open_steps": [step for step in steps if step.status != DONE],
        "done_steps": [step for step in steps if step.status == DONE],
    }
    membership = selectors.my_peer_membership(request.user, programme)
    if membership is not None and membership.charter_acknowledged_at is None:
        # A peer who has just joined meets the trust charter first.
        context["charter"] = TRUST_CHARTER
    if request.user.has_perm("programmes.view_overview", programme):
        flags, _computed = current_flags(programme)
        context["flag_groups"] = grouped(flags)
        # A flag links to the page where a facilitator acts on it; others read it only.
        context["flag_links"] = request.user.has_perm("programmes.change_programme", programme)
        context["overview_url"] = reverse("programmes:overview", kwargs={"pk": programme.pk})
    if Role.SPONSOR in roles:
        context["sponsor_peers"] = [
            standing
            for standing in selectors.peer_standings(request.user, programme)
            if standing.joined
        ]
    return render(request, "programmes/programme_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for(request.user, pk)
    if not request.user.has_perm("programmes.invite_people", programme):
        raise PermissionDenied(_("Only the programme's facilitators can invite people."))
    form = InviteForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            invitation = services.invite_person(
                programme=programme, invited_by=request.user, **form.cleaned_data
            )
            invitation.refresh_from_db()
            if invitation.sending_state == "waiting" and invitation.dispatched_at is None:
                messages.warning(
                    request,
                    _(
                        "The invitation to %(email)s is saved; it is not sent yet because the "
                        "background service cannot be reached. It goes out by itself as soon "
                        "as it can."
                    )
                    % {"email": invitation.email},
                )
            else:
                messages.success(
                    request,
                    _("An invitation is on its way to %(email)s.") % {"email": invitation.email},
                )
            return redirect(programme)
    return render(request, "programmes/invite.html", {"programme": programme, "form": form})


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation, state = selectors.invitation_link(
        token, max_age_days=settings.INVITATION_VALID_DAYS
    )
    if state == "replaced":
        return render(
            request,
            "programmes/invitation_invalid.html",
            {
                "error": _(
                    "This link was replaced by a newer invitation. Use the link in the most "
                    "recent invitation email."
                )
            },
            status=410,
        )
    if invitation is None:
        return render(request, "programmes/invitation_invalid.html", status=404)
    context: dict[str, object] = {"invitation": invitation, "programme": invitation.programme}
    from peerlearn.users.models import User

    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    with service_errors() as refused:
        if request.user.is_authenticated:
            if request.method == "POST":
                services.accept_invitation(invitation=invitation, user=request.user)
                messages.success(
                    request, _("Welcome to %(name)s.") % {"name": invitation.programme}
                )
                return redirect(invitation.programme)
            return render(request, "programmes/invitation_join.html", context)
        if has_account:
            messages.info(request, _("You have an account already: log in to accept."))
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        form = AcceptInvitationForm(request.POST or None, email=invitation.email)
        if request.method == "GET":
            form.initial["full_name"] = invitation.full_name
        if request.method == "POST" and form.is_valid():
            user, _membership = services.register_from_invitation(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.programme})
            return redirect(invitation.programme)
        context["form"] = form
        return render(request, "programmes/invitation_accept.html", context)
    context["error"] = str(refused.error)
    return render(request, "programmes/invitation_invalid.html", context, status=410)
