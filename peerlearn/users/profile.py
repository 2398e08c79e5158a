"""A person's own profile: their name, the language of their emails and whether the members of
their group see their email address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peerlearn.http import AuthenticatedHttpRequest

from .forms import AccountForm


class ProfileForm(AccountForm):
    class Meta(AccountForm.Meta):
        fields: tuple[str, ...] = ("full_name", "preferred_language", "hide_email")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            translation.activate(request.user.preferred_language)
            messages.success(request, _("Your profile is saved."))
            return redirect("profile")
        return render(request, "account/profile.html", {"form": form}, status=400)
    return render(request, "account/profile.html", {"form": form})
