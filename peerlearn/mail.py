"""Every email PeerLearn sends goes through :func:`send_email`.

An email is rendered from templates (``<template>.txt``, and ``<template>.html`` when asked) in
the recipient's preferred language: the person's own setting, or that of the account with the
address, or the site's language. Reminder emails of a programme carry a "stop these reminders"
link; the app that keeps those choices registers them with :func:`register_reminder_choices`.
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Required, TypedDict, TypeVar, Unpack

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from peerlearn.languages import supported

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Every character that ends a line somewhere (CR, LF, the Unicode line and paragraph
# separators...) and the other control characters: none of them belongs in an email header.
_NOT_IN_A_HEADER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def header_text(value: Any) -> str:
    """``value`` as one line fit for an email header (a subject): line breaks and other control
    characters become spaces, runs of spaces one space. A title or a name typed with a line
    break can never make Django refuse the header, nor add a header of its own."""
    return " ".join(_NOT_IN_A_HEADER.sub(" ", str(value)).split())


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


class EmailParts(TypedDict, total=False):
    """What makes one email (see :func:`build_email`); ``to``, ``subject``, ``template`` and
    ``context`` are required."""

    to: Required[Any]
    subject: Required[str | Promise]
    template: Required[str]
    context: Required[Mapping[str, Any]]
    subject_params: Mapping[str, Any] | None
    html: bool
    headers: Mapping[str, str] | None
    subject_prefix: bool
    language: str | None


def build_email(**parts: Unpack[EmailParts]) -> EmailMultiAlternatives:
    """Render one email to ``to`` (a user or an address), to send now (:func:`send_email`) or
    with others over one connection (:func:`send_batch`).

    ``subject`` is a template name (``….txt``) rendered with ``context``, or a lazy
    translation (``gettext_lazy``) formatted with ``subject_params`` in the recipient's language
    and prefixed with ``ACCOUNT_EMAIL_SUBJECT_PREFIX`` (unless ``subject_prefix`` is false);
    ``html`` adds the ``<template>.html`` alternative; ``headers`` are added as one line each.
    ``language`` is the one :func:`language_of` chose when the caller needed it first (for the
    links it writes).
    """
    to, subject, context = parts["to"], parts["subject"], parts["context"]
    template = parts["template"]
    address = to if isinstance(to, str) else to.email
    with translation.override(supported(parts.get("language")) or language_of(to)):
        # Each template gets its own copy of the context (a template may set variables in it).
        if isinstance(subject, str):
            title = render_to_string(subject, dict(context)).strip()
        else:
            title = str(subject) % dict(parts.get("subject_params") or {})
            if parts.get("subject_prefix", True):
                title = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{title}"
        body = render_to_string(f"{template}.txt", dict(context))
        html = parts.get("html", False)
        html_body = render_to_string(f"{template}.html", dict(context)) if html else None
    message = EmailMultiAlternatives(
        subject=header_text(title),
        body=body,
        to=[address],
        headers={name: header_text(value) for name, value in (parts.get("headers") or {}).items()},
    )
    if html_body is not None:
        message.attach_alternative(html_body, "text/html")
    return message


def send_email(**parts: Unpack[EmailParts]) -> None:
    """Render and send one email (see :func:`build_email` for its parts)."""
    build_email(**parts).send()


# When an email cannot be sent: whether trying again later may work, and why, in plain words.

_TEMPORARY_ERRORS = (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError)


def is_temporary(error: BaseException) -> bool:
    """Whether sending may work later (the mail server is down or busy: 4xx answers) rather
    than never (a refused address, a message the server rejects: 5xx answers)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, _TEMPORARY_ERRORS) or (
        isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)
    )


def is_sending_error(error: BaseException) -> bool:
    """Whether ``error`` came from sending an email (the mail server, the network, or a
    message the mail library refuses), as opposed to a fault in the program."""
    return isinstance(error, (OSError, smtplib.SMTPException, UnicodeError, ValueError))


def failure_reason(error: BaseException) -> str:
    """Why an email was not sent, in plain words (with the server's own answer, if any)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        detail = "; ".join(
            f"{code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
            for code, message in error.recipients.values()
        )
        reason = _("the mail server refused the address (%(detail)s)") % {"detail": detail}
    elif isinstance(error, smtplib.SMTPResponseException):
        answer = error.smtp_error
        text = answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)
        reason = _("the mail server answered %(code)s %(text)s") % {
            "code": error.smtp_code,
            "text": text,
        }
    elif isinstance(error, (ConnectionError, TimeoutError, smtplib.SMTPServerDisconnected)):
        reason = _("the mail server could not be reached (%(error)s)") % {"error": error}
    else:
        reason = _("the email could not be written (%(error)s)") % {"error": error}
    if is_temporary(error):
        reason = _("%(reason)s; it is tried again automatically") % {"reason": reason}
    return header_text(reason)[:500]


def send_each(items: Iterable[T], send: Callable[[T], object]) -> int:
    """Send one email per item with ``send(item)`` (true when it sent one) and count them.

    An email that cannot be sent is logged and the others still go out. At the end the first
    failure that may pass (the mail server is down) is raised, so that the job is tried again
    later: ``send`` must skip what was already sent."""
    sent = 0
    temporary: BaseException | None = None
    for item in items:
        try:
            sent += bool(send(item))
        except Exception as error:
            if not is_sending_error(error):
                raise
            logger.warning("An email about %r was not sent: %s", item, error)
            if temporary is None and is_temporary(error):
                temporary = error
    if temporary is not None:
        raise temporary
    return sent


def send_batch(
    items: Iterable[T],
    build: Callable[[T], EmailMessage | None],
    record: Callable[[list[T]], object],
) -> int:
    """Send one email per item over a single connection to the mail server (opened at the
    first email, closed at the end) and count them.

    ``build(item)`` renders the item's email (``None``: nothing to send); ``record([item])``
    notes the item sent as soon as its email has gone (the caller holds no transaction, so each
    record commits at once): a run that stops half way (its worker killed, the machine down)
    leaves a record of every email it sent but the one in flight, and its retry sends only what
    was not sent. As in
    :func:`send_each`, an email that cannot be sent is logged and the others still go out, and
    the first failure that may pass is raised at the end so that the job is tried again later."""
    connection: Any = None
    count = 0
    temporary: BaseException | None = None
    try:
        for item in items:
            try:
                message = build(item)
                if message is None:
                    continue
                if connection is None:
                    connection = get_connection()
                    connection.open()
                connection.send_messages([message])
            except Exception as error:
                if not is_sending_error(error):
                    raise
                logger.warning("An email about %r was not sent: %s", item, error)
                if temporary is None and is_temporary(error):
                    temporary = error
                if connection is not None and is_temporary(error):
                    connection.close()  # the next email opens a fresh one
                    connection = None
                continue
            record([item])
            count += 1
    finally:
        if connection is not None:
            connection.close()
    if temporary is not None:
        raise temporary
    return count


# Reminders: a person may stop the reminder emails of one programme.

_reminder_choices: dict[str, Callable[..., Any]] = {}


def register_reminder_choices(
    *,
    stopped: Callable[[int, int], bool],
    unsubscribe_url: Callable[[int, int], str],
    stopped_in: Callable[[Iterable[int]], set[tuple[int, int]]] | None = None,
) -> None:
    """Register who stopped the reminders of a programme ``(user id, programme id)``, the link
    that stops them, and (for nightly jobs) everyone who stopped the reminders of some
    programmes at once, as ``{(user id, programme id)}``."""
    _reminder_choices["stopped"] = stopped
    _reminder_choices["unsubscribe_url"] = unsubscribe_url
    if stopped_in is not None:
        _reminder_choices["stopped_in"] = stopped_in


def reminders_stopped_in(programme_ids: Iterable[int]) -> set[tuple[int, int]]:
    """``{(user id, programme id)}`` of everyone who stopped the reminders of the programmes
    (one query, whatever their number)."""
    ids = set(programme_ids)
    stopped_in = _reminder_choices.get("stopped_in")
    if not ids or stopped_in is None:
        return set()
    return set(stopped_in(ids))


def reminders_stopped(user_id: int, programme_id: int) -> bool:
    stopped = _reminder_choices.get("stopped")
    return bool(stopped and stopped(user_id, programme_id))


def reminder_unsubscribe_url(user_id: int, programme_id: int) -> str:
    make = _reminder_choices.get("unsubscribe_url")
    return str(make(user_id, programme_id)) if make else ""


def build_reminder(
    *,
    to: Any,
    programme_id: int,
    subject: str | Promise,
    template: str,
    context: Mapping[str, Any],
    subject_params: Mapping[str, Any] | None = None,
) -> EmailMultiAlternatives:
    """A reminder email of a programme, with its "stop these reminders" link (in the context as
    ``unsubscribe_url`` and as a ``List-Unsubscribe`` header). The caller has checked that the
    person did not stop the programme's reminders."""
    unsubscribe_url = reminder_unsubscribe_url(to.pk, programme_id)
    headers = {"List-Unsubscribe": f"<{unsubscribe_url}>"} if unsubscribe_url else {}
    return build_email(
        to=to,
        subject=subject,
        subject_params=subject_params,
        template=template,
        context={**context, "unsubscribe_url": unsubscribe_url},
        headers=headers,
    )


def send_reminder(
    *,
    to: Any,
    programme_id: int,
    subject: str | Promise,
    template: str,
    context: Mapping[str, Any],
    subject_params: Mapping[str, Any] | None = None,
) -> bool:
    """Send a reminder email of a programme (see :func:`build_reminder`). ``False`` when the
    person stopped the programme's reminders."""
    if reminders_stopped(to.pk, programme_id):
        return False
    build_reminder(
        to=to,
        programme_id=programme_id,
        subject=subject,
        subject_params=subject_params,
        template=template,
        context=context,
    ).send()
    return True
