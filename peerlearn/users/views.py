"""The account page: the person's name and preferred language."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from peerlearn.http import AuthenticatedHttpRequest
from peerlearn.languages import supported

from .forms import AccountForm


@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    initial = {"preferred_language": supported(user.preferred_language) or request.LANGUAGE_CODE}
    form = AccountForm(request.POST or None, instance=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save()
        translation.activate(user.preferred_language)
        messages.success(request, _("Your account is saved."))
        return redirect("account")
    return render(request, "account/preferences.html", {"form": form})
