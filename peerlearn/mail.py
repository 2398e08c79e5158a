"""Every email PeerLearn sends goes through :func:`send_email`.

An email is rendered from templates (``<template>.txt``, and ``<template>.html`` when asked) in
the recipient's preferred language: the person's own setting, or that of the account with the
address, or the site's language. Reminder emails of a programme carry a "stop these reminders"
link; the app that keeps those choices registers them with :func:`register_reminder_choices`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise

from peerlearn.languages import supported


def absolute_url(path: str) -> str:
    """``path`` on the public site (for links in emails)."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def language_of(recipient: Any, *, fallback: str | None = None) -> str:
    """The language to write to ``recipient`` (a user, or an email address): the person's
    preferred language, else ``fallback`` (for an address with no account: the language of the
    person or programme it comes from), else the site's language."""
    if isinstance(recipient, str):
        recipient = (
            get_user_model()
            .objects.filter(email__iexact=recipient)
            .only("preferred_language")
            .first()
        )
    return (
        supported(getattr(recipient, "preferred_language", ""))
        or supported(fallback)
        or settings.LANGUAGE_CODE
    )


def send_email(
    *,
    to: Any,
    subject: str | Promise,
    template: str,
    context: Mapping[str, Any],
    subject_params: Mapping[str, Any] | None = None,
    html: bool = False,
    headers: Mapping[str, str] | None = None,
    subject_prefix: bool = True,
    language: str | None = None,
) -> None:
    """Render and send one email to ``to`` (a user or an address).

    ``subject`` is a template name (``….txt``) rendered with ``context``, or a lazy
    translation (``gettext_lazy``) formatted with ``subject_params`` in the recipient's language
    and prefixed with ``ACCOUNT_EMAIL_SUBJECT_PREFIX``. ``language`` is the one
    :func:`language_of` chose when the caller needed it first (for the links it writes).
    """
    address = to if isinstance(to, str) else to.email
    with translation.override(supported(language) or language_of(to)):
        if isinstance(subject, str):
            title = render_to_string(subject, dict(context)).strip()
        else:
            title = str(subject) % dict(subject_params or {})
            if subject_prefix:
                title = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{title}"
        body = render_to_string(f"{template}.txt", dict(context))
        html_body = render_to_string(f"{template}.html", dict(context)) if html else None
    message = EmailMultiAlternatives(
        subject=" ".join(title.split()), body=body, to=[address], headers=dict(headers or {})
    )
    if html_body is not None:
        message.attach_alternative(html_body, "text/html")
    message.send()


# Reminders: a person may stop the reminder emails of one programme.

_reminder_choices: dict[str, Callable[[int, int], Any]] = {}


def register_reminder_choices(
    *, stopped: Callable[[int, int], bool], unsubscribe_url: Callable[[int, int], str]
) -> None:
    """Register who stopped the reminders of a programme ``(user id, programme id)`` and the
    link that stops them."""
    _reminder_choices["stopped"] = stopped
    _reminder_choices["unsubscribe_url"] = unsubscribe_url


def reminders_stopped(user_id: int, programme_id: int) -> bool:
    stopped = _reminder_choices.get("stopped")
    return bool(stopped and stopped(user_id, programme_id))


def reminder_unsubscribe_url(user_id: int, programme_id: int) -> str:
    make = _reminder_choices.get("unsubscribe_url")
    return str(make(user_id, programme_id)) if make else ""


def send_reminder(
    *,
    to: Any,
    programme_id: int,
    subject: str | Promise,
    template: str,
    context: Mapping[str, Any],
    subject_params: Mapping[str, Any] | None = None,
) -> bool:
    """Send a reminder email of a programme, with its "stop these reminders" link (in the
    context as ``unsubscribe_url`` and as a ``List-Unsubscribe`` header). ``False`` when the
    person stopped the programme's reminders."""
    if reminders_stopped(to.pk, programme_id):
        return False
    unsubscribe_url = reminder_unsubscribe_url(to.pk, programme_id)
    headers = {"List-Unsubscribe": f"<{unsubscribe_url}>"} if unsubscribe_url else {}
    send_email(
        to=to,
        subject=subject,
        subject_params=subject_params,
        template=template,
        context={**context, "unsubscribe_url": unsubscribe_url},
        headers=headers,
    )
    return True
