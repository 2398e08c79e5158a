"""The person's language: which language a page, an email or a PDF is written in.

A page is written in the language of its link (``?lang=fr``, which public pages reached from an
email carry), else the signed-in person's preferred language, else the language chosen with the
switcher (a cookie) or the browser's (``Accept-Language``), as Django's ``LocaleMiddleware``
found it. Changing the language with the switcher while signed in changes the preference too.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

LINK_PARAMETER = "lang"


def supported(code: str | None) -> str | None:
    """``code`` when it names a language of the interface (``"fr"``, ``"fr-CA"`` → ``"fr"``)."""
    if not code:
        return None
    codes = {language for language, _name in settings.LANGUAGES}
    code = code.strip().lower()
    if code in codes:
        return code
    base = code.split("-")[0].split("_")[0]
    return base if base in codes else None


def with_language(url: str, language: str | None) -> str:
    """``url`` with the language its page should be written in (for links in emails)."""
    code = supported(language)
    if not code:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != LINK_PARAMETER]
    query.append((LINK_PARAMETER, code))
    return urlunsplit(parts._replace(query=urlencode(query)))


def without_language(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != LINK_PARAMETER]
    return urlunsplit(parts._replace(query=urlencode(query)))


class PreferredLanguageMiddleware:
    """Activates the link's language or the signed-in person's preferred one (after
    ``LocaleMiddleware`` and ``AuthenticationMiddleware``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = supported(request.GET.get(LINK_PARAMETER))
        if code is None:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                code = supported(getattr(user, "preferred_language", ""))
        if code is not None:
            translation.activate(code)
            request.LANGUAGE_CODE = code
        return self.get_response(request)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher, which also keeps the choice as the signed-in person's
    preference; the page it returns to loses any ``?lang=`` of its link."""
    if "next" in request.POST:
        post = request.POST.copy()
        post["next"] = without_language(str(request.POST["next"]))
        request.POST = post  # type: ignore[assignment]
    response = django_set_language(request)
    code = supported(request.POST.get("language"))
    user = getattr(request, "user", None)
    if code and user is not None and user.is_authenticated and user.preferred_language != code:
        user.preferred_language = code
        user.save(update_fields=["preferred_language"])
    return response
