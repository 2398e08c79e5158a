"""The account page: a person's data to download, and their request to erase it; the page
where facilitators confirm erasure requests."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from peerlearn import personal_data
from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest

from . import selectors, services, tasks
from .models import ErasureRequest


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that my name, address and what I wrote about myself will be erased "
            "and that I will no longer be able to sign in."
        )
    )


def _account(
    request: AuthenticatedHttpRequest, form: ErasureRequestForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "account/account.html",
        {
            "form": form,
            "pending": selectors.pending_request_of(request.user),
            "memberships": request.user.memberships.select_related("programme"),
            "can_confirm": selectors.may_see_erasure_requests(request.user),
            "exports": list(selectors.exports_of(request.user)),
        },
        status=status,
    )


@login_required
@require_GET
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _account(request, ErasureRequestForm())


@login_required
@require_POST
def account_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everything held about the signed-in person, as a ZIP of JSON and CSV files: at once when
    it is small, else built in the background and offered on the account page. Asked for with
    the account page's button (a POST), so no link followed builds an archive."""
    if not services.export_is_small(request.user):
        services.request_export(user=request.user, job=tasks.build_data_export)
        messages.info(
            request,
            _(
                "Your download is being prepared; it appears here when it is ready, "
                "and you get an email."
            ),
        )
        return redirect("my_account")
    content = personal_data.export_zip(request.user)
    response = HttpResponse(content, content_type="application/zip")
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="peerlearn-my-data-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def account_export_file(request: AuthenticatedHttpRequest, export_id: int) -> FileResponse:
    export = selectors.ready_exports_of(request.user).filter(pk=export_id).first()
    if export is None:
        raise Http404
    response = FileResponse(
        export.file.open("rb"), as_attachment=True, filename="peerlearn-my-data.zip"
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def account_erase(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ErasureRequestForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.request_erasure(
                user=request.user,
                reason=form.cleaned_data["reason"],
                job=tasks.tell_facilitators_of_erasure,
            )
            messages.success(
                request, _("Your request is sent; a facilitator of your programme confirms it.")
            )
            return redirect("my_account")
    return _account(request, form, status=400)


@login_required
@require_POST
def account_erase_withdraw(request: AuthenticatedHttpRequest) -> HttpResponse:
    with service_errors(request):
        services.withdraw_erasure(user=request.user)
        messages.success(request, _("Your request is withdrawn."))
    return redirect("my_account")


@login_required
@require_GET
def erasure_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.may_see_erasure_requests(request.user):
        raise Http404
    requests = list(selectors.erasure_requests_for(request.user)[:200])
    return render(request, "account/erasure_requests.html", {"requests": requests})


@login_required
@require_POST
def erasure_confirm(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    erasure = (
        selectors.erasure_requests_for(request.user)
        .filter(pk=request_id, status=ErasureRequest.Status.PENDING)
        .first()
    )
    if erasure is None:
        raise Http404
    with service_errors(request):
        services.confirm_erasure(erasure=erasure, by=request.user)
        messages.success(request, _("The account is erased."))
    return redirect("erasure_requests")
