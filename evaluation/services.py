"""Writes for evaluation: answering surveys, building instruments, scheduling waves and their
emails, value-creation stories, indicator snapshots and the access audit trail."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from peerlearn import mail, tokens
from peerlearn.errors import ServiceError
from peerlearn.users.models import User

from . import selectors
from .models import (
    AccessRecord,
    Answer,
    ComparisonInvitee,
    ImpactIndicator,
    ImpactObservation,
    IndicatorSnapshot,
    Instrument,
    Item,
    Reminder,
    ReminderOptOut,
    Response,
    Story,
    Wave,
)

if TYPE_CHECKING:
    from programmes.models import Cohort, Programme


WRITE_ATTEMPTS = 5


class EvaluationError(ServiceError):
    """A write that cannot happen; the message says why in plain words."""


class AnswerErrors(EvaluationError):
    """Answers that do not fit their questions: ``errors`` maps item codes to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Some answers need your attention."))
        self.errors = errors


# ---------------------------------------------------------------------------------------------
# Answering


@dataclass
class Cleaned:
    number: float | None = None
    choice: str = ""
    text: str = ""
    selected: list[Any] | None = None

    @property
    def empty(self) -> bool:
        return self.number is None and not self.choice and not self.text and not self.selected


def field_name(item: Item) -> str:
    return f"item-{item.code}"


def clean_answer(item: Item, raw: Sequence[str], *, peer_ids: set[int]) -> Cleaned:
    """Parse what was typed for ``item``; raise ``ValueError`` with a plain-words message."""
    values = [value.strip() for value in raw if value is not None and value.strip() != ""]
    kind = item.kind
    if not values:
        return Cleaned()
    if kind == Item.Kind.LIKERT:
        try:
            number = int(values[0])
        except ValueError:
            raise ValueError(_("Choose a value from 1 to 5.")) from None
        if not 1 <= number <= 5:
            raise ValueError(_("Choose a value from 1 to 5."))
        return Cleaned(number=float(number))
    if kind == Item.Kind.NUMBER:
        try:
            number_value = float(values[0].replace(",", "."))
        except ValueError:
            raise ValueError(_("Enter a number, for example 3 or 2.5.")) from None
        if number_value != number_value or number_value in (float("inf"), float("-inf")):
            raise ValueError(_("Enter a number, for example 3 or 2.5."))
        if item.min_value is not None and number_value < item.min_value:
            raise ValueError(_("Enter %(min)g or more.") % {"min": item.min_value})
        if item.max_value is not None and number_value > item.max_value:
            raise ValueError(_("Enter %(max)g or less.") % {"max": item.max_value})
        return Cleaned(number=number_value)
    allowed = {value for value, _label in item.options()}
    if kind == Item.Kind.SINGLE:
        if len(values) > 1 or values[0] not in allowed:
            raise ValueError(_("Choose one of the options."))
        return Cleaned(choice=values[0])
    if kind == Item.Kind.MULTIPLE:
        unknown = [value for value in values if value not in allowed]
        if unknown:
            raise ValueError(_("Choose only among the options."))
        order = [value for value, _label in item.options()]
        return Cleaned(selected=sorted(set(values), key=order.index))
    if kind == Item.Kind.PEERS:
        try:
            chosen = sorted({int(value) for value in values})
        except ValueError:
            raise ValueError(_("Choose peers from the list.")) from None
        if any(peer not in peer_ids for peer in chosen):
            raise ValueError(_("Choose peers from the list."))
        return Cleaned(selected=chosen)
    limit = 300 if kind == Item.Kind.SHORT_TEXT else 10000
    text = "\n".join(values) if kind == Item.Kind.LONG_TEXT else values[0]
    if len(text) > limit:
        raise ValueError(
            _("Keep this answer under %(limit)s characters (it has %(length)s).")
            % {"limit": limit, "length": len(text)}
        )
    return Cleaned(text=text)


def clean_answers(
    instrument: Instrument,
    data: Mapping[str, Sequence[str]],
    *,
    require: bool,
    peer_ids: set[int],
) -> tuple[dict[int, Cleaned], dict[str, str]]:
    cleaned: dict[int, Cleaned] = {}
    errors: dict[str, str] = {}
    for item in instrument.items.all():
        raw = data.get(field_name(item), [])
        try:
            value = clean_answer(item, raw, peer_ids=peer_ids)
        except ValueError as error:
            errors[item.code] = str(error)
            continue
        if require and item.required and value.empty:
            errors[item.code] = _("Please answer this question.")
        cleaned[item.pk] = value
    return cleaned, errors


def _check_open(wave: Wave, respondent: User) -> None:
    if wave.status != Wave.Status.OPEN:
        raise EvaluationError(_("This survey is not open for answers."))
    if not selectors.is_invited(respondent, wave):
        raise EvaluationError(_("This survey is not addressed to you."))


def save_response(
    *,
    wave: Wave,
    respondent: User,
    data: Mapping[str, Sequence[str]],
    submit: bool,
) -> Response:
    """Save a peer's answers to a wave: as a draft, or submitted.

    One response per person and wave: saving again updates it, so submitting twice never makes
    two responses. Every answer that fits its question is kept as a draft even when others do
    not fit (nothing typed is lost); :class:`AnswerErrors` then names the others, and the
    response is not submitted. Submitting also requires the required questions. A response
    already submitted is only changed by a complete, valid submission.
    """
    for attempt in range(WRITE_ATTEMPTS):
        try:
            response, errors = _write_response(
                wave=wave, respondent=respondent, data=data, submit=submit
            )
            break
        except OperationalError:
            # SQLite (the zero-setup database) refuses a second writer at once instead of
            # waiting; a draft saved as the peer types can meet their submission.
            if connection.vendor != "sqlite" or attempt == WRITE_ATTEMPTS - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    if errors:
        raise AnswerErrors(errors)
    return response


@transaction.atomic
def _write_response(
    *,
    wave: Wave,
    respondent: User,
    data: Mapping[str, Sequence[str]],
    submit: bool,
) -> tuple[Response, dict[str, str]]:
    _check_open(wave, respondent)
    peer_ids = {
        pk
        for pk, _label in selectors.peer_choices(
            wave.programme, exclude=respondent.pk, viewer=respondent
        )
    }
    response = Response.objects.select_for_update().filter(wave=wave, respondent=respondent).first()
    instrument = response.instrument if response is not None else wave.instrument
    cleaned, errors = clean_answers(instrument, data, require=submit, peer_ids=peer_ids)
    if errors and response is not None and response.status == Response.Status.SUBMITTED:
        return response, errors
    now = timezone.now()
    if response is None:
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    wave=wave,
                    instrument=instrument,
                    respondent=respondent,
                    status=Response.Status.DRAFT,
                    updated_at=now,
                )
        except IntegrityError:
            response = Response.objects.select_for_update().get(wave=wave, respondent=respondent)
    items = {item.pk: item for item in instrument.items.all()}
    existing = {answer.item_id: answer for answer in response.answers.all()}
    for item_id, value in cleaned.items():
        answer = existing.get(item_id)
        if value.empty:
            if answer is not None:
                answer.delete()
            continue
        if answer is None:
            answer = Answer(response=response, item=items[item_id])
        answer.number = value.number
        answer.choice = value.choice
        answer.text = value.text
        answer.selected = value.selected or []
        answer.visibility = items[item_id].visibility
        answer.save()
    response.updated_at = now
    if submit and not errors:
        response.status = Response.Status.SUBMITTED
        response.submitted_at = response.submitted_at or now
    response.save()
    return response, errors


# ---------------------------------------------------------------------------------------------
# Instruments


def _texts(english: str, other: Mapping[str, str] | None = None) -> dict[str, str]:
    texts = {"en": english.strip()}
    for language, text in (other or {}).items():
        if text and text.strip() and language != "en":
            texts[language] = text.strip()
    return texts


@transaction.atomic
def create_instrument(
    *,
    programme: Programme,
    created_by: User | None,
    name: str,
    description: str = "",
    translations: Mapping[str, str] | None = None,
) -> Instrument:
    if not name.strip():
        raise EvaluationError(_("Give the instrument a name."))
    key = slugify(name)[:50] or "instrument"
    return Instrument.objects.create(
        programme=programme,
        key=key,
        family=f"p{programme.pk}-{key}-{uuid.uuid4().hex[:8]}",
        version=1,
        is_current=True,
        kind=Instrument.Kind.CUSTOM,
        name=_texts(name, translations),
        description=_texts(description) if description.strip() else {},
        created_by=created_by,
    )


@transaction.atomic
def editable_version(*, instrument: Instrument, edited_by: User | None) -> Instrument:
    """The version of ``instrument`` to edit: itself while nobody has answered it, otherwise a
    new version (a copy of its items) that becomes the current one. Old answers keep pointing at
    the old version's items, so they stay readable; scheduled waves move to the new version."""
    if instrument.is_builtin:
        raise EvaluationError(_("Built-in instruments cannot be changed; build your own."))
    if not instrument.is_current:
        raise EvaluationError(_("Only the current version of an instrument can be changed."))
    if not selectors.has_answers(instrument):
        return instrument
    Instrument.objects.filter(pk=instrument.pk).update(is_current=False)
    items = list(instrument.items.all())
    old_pk = instrument.pk
    new = Instrument.objects.create(
        programme=instrument.programme,
        key=instrument.key,
        family=instrument.family,
        version=instrument.version + 1,
        is_current=True,
        kind=instrument.kind,
        name=instrument.name,
        description=instrument.description,
        source=instrument.source,
        created_by=edited_by,
    )
    for item in items:
        item.pk = None
        item.instrument = new
        item.save()
    Wave.objects.filter(instrument_id=old_pk, status=Wave.Status.SCHEDULED).update(instrument=new)
    return new


def _choices(lines: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for line in lines.splitlines():
        label = line.strip()
        if not label:
            continue
        value = slugify(label)[:50] or str(len(result) + 1)
        if any(choice["value"] == value for choice in result):
            value = f"{value}-{len(result) + 1}"
        result.append({"value": value, "label": {"en": label}})
    return result


@transaction.atomic
def add_item(
    *,
    instrument: Instrument,
    edited_by: User | None,
    kind: str,
    text: str,
    translations: Mapping[str, str] | None = None,
    help_text: str = "",
    choices: str = "",
    required: bool = False,
    visibility: str = "facilitators",
    min_value: float | None = None,
    max_value: float | None = None,
) -> Item:
    """Add a question (to a new version when the instrument already has answers)."""
    if not text.strip():
        raise EvaluationError(_("Write the question in English."))
    if kind in Item.CHOICE_KINDS and len(_choices(choices)) < 2:
        raise EvaluationError(_("Give at least two options, one per line."))
    if min_value is not None and max_value is not None and min_value > max_value:
        raise EvaluationError(_("The minimum is larger than the maximum."))
    target = editable_version(instrument=instrument, edited_by=edited_by)
    position = (target.items.order_by("-position").values_list("position", flat=True).first()) or 0
    base = slugify(text)[:40] or "question"
    code = base
    taken = set(target.items.values_list("code", flat=True))
    counter = 2
    while code in taken:
        code = f"{base}-{counter}"
        counter += 1
    return Item.objects.create(
        instrument=target,
        position=position + 1,
        code=code,
        kind=kind,
        text=_texts(text, translations),
        help=_texts(help_text) if help_text.strip() else {},
        choices=_choices(choices) if kind in Item.CHOICE_KINDS else [],
        required=required,
        visibility=visibility,
        min_value=min_value if kind == Item.Kind.NUMBER else None,
        max_value=max_value if kind == Item.Kind.NUMBER else None,
    )


@transaction.atomic
def remove_item(*, item: Item, edited_by: User | None) -> Instrument:
    """Remove a question (from a new version when the instrument already has answers)."""
    target = editable_version(instrument=item.instrument, edited_by=edited_by)
    target.items.filter(code=item.code).delete()
    return target


# ---------------------------------------------------------------------------------------------
# Waves


MONTHS: dict[str, int] = {
    Wave.Kind.BASELINE: 0,
    Wave.Kind.END_OF_EVENT: 0,
    Wave.Kind.PLUS_3: 3,
    Wave.Kind.PLUS_6: 6,
    Wave.Kind.PLUS_12: 12,
    Wave.Kind.OTHER: 0,
}


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30]
    last += [31, 31, 30, 31, 30, 31]
    return date(year, month, min(day.day, last[month - 1]))


def wave_dates(kind: str, anchor: date) -> tuple[date, date, date]:
    """Default (opens, due, closes) for a wave at ``kind`` after the event that ended on
    ``anchor``: open on the day, due two weeks later, closed two weeks after that."""
    opens = add_months(anchor, MONTHS.get(kind, 0))
    return opens, opens + timedelta(days=14), opens + timedelta(days=28)


@transaction.atomic
def schedule_wave(
    *,
    programme: Programme,
    instrument: Instrument,
    kind: str,
    title: str = "",
    cohort: Cohort | None = None,
    opens_on: date,
    due_on: date,
    closes_on: date,
    max_reminders: int = 3,
    reminder_gap_days: int = 7,
    today: date | None = None,
) -> Wave:
    if instrument.programme_id not in (None, programme.pk):
        raise EvaluationError(_("That instrument belongs to another programme."))
    if cohort is not None and cohort.programme_id != programme.pk:
        raise EvaluationError(_("That cohort belongs to another programme."))
    if due_on < opens_on:
        raise EvaluationError(_("The due date is before the opening date."))
    if closes_on < due_on:
        raise EvaluationError(_("The closing date is before the due date."))
    if reminder_gap_days < 1:
        raise EvaluationError(_("Leave at least one day between reminders."))
    if not instrument.is_current:
        instrument = Instrument.objects.get(family=instrument.family, is_current=True)
    wave = Wave.objects.create(
        programme=programme,
        cohort=cohort,
        instrument=instrument,
        kind=kind,
        title=title.strip() or f"{instrument.title} — {Wave.Kind(kind).label}",
        opens_on=opens_on,
        due_on=due_on,
        closes_on=closes_on,
        max_reminders=max_reminders,
        reminder_gap_days=reminder_gap_days,
    )
    advance_wave(wave=wave, today=today or timezone.localdate())
    return wave


def advance_wave(*, wave: Wave, today: date) -> Wave:
    """Open a scheduled wave on its opening day and close an open one after its closing day."""
    status = wave.status
    if status == Wave.Status.SCHEDULED and wave.opens_on <= today:
        status = Wave.Status.OPEN
    if status == Wave.Status.OPEN and wave.closes_on < today:
        status = Wave.Status.CLOSED
    if status != wave.status:
        Wave.objects.filter(pk=wave.pk).update(status=status)
        wave.status = status
    return wave


def unsubscribe_token(user: User, programme: Programme) -> str:
    return tokens.REMINDER_UNSUBSCRIBE.make({"u": user.pk, "p": programme.pk})


def unsubscribe_url(user_id: int, programme_id: int) -> str:
    """The "stop these reminders" link of a programme's reminder emails to a person."""
    token = tokens.REMINDER_UNSUBSCRIBE.make({"u": user_id, "p": programme_id})
    return mail.absolute_url(reverse("evaluation:unsubscribe", kwargs={"token": token}))


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    data = tokens.REMINDER_UNSUBSCRIBE.read(token)
    if data is None:
        return None
    user, programme = data.get("u"), data.get("p")
    if isinstance(user, int) and isinstance(programme, int):
        return user, programme
    return None


@transaction.atomic
def opt_out(*, user_id: int, programme_id: int) -> ReminderOptOut:
    optout, _created = ReminderOptOut.objects.get_or_create(
        user_id=user_id, programme_id=programme_id
    )
    return optout


def due_emails(wave: Wave, today: date) -> list[tuple[User, str]]:
    """Who gets an email about ``wave`` today, and which kind.

    Nobody who has submitted, nobody who opted out, nobody already emailed today; the first
    email is the invitation, then at most ``max_reminders`` reminders, each at least
    ``reminder_gap_days`` after the previous email. Nothing before opening or after closing.
    """
    if wave.status != Wave.Status.OPEN or not (wave.opens_on <= today <= wave.closes_on):
        return []
    sent: dict[int, list[Reminder]] = {}
    for reminder in Reminder.objects.filter(wave=wave).order_by("sent_on"):
        sent.setdefault(reminder.user_id, []).append(reminder)
    answered = set(
        wave.responses.filter(status=Response.Status.SUBMITTED).values_list(
            "respondent_id", flat=True
        )
    )
    opted_out = set(
        ReminderOptOut.objects.filter(programme_id=wave.programme_id).values_list(
            "user_id", flat=True
        )
    )
    result: list[tuple[User, str]] = []
    for membership in selectors.invitees_of(wave):
        user = membership.user
        if user.pk in answered or user.pk in opted_out or not user.is_active:
            continue
        history = sent.get(user.pk, [])
        if not history:
            result.append((user, Reminder.Kind.INVITATION))
            continue
        reminders = sum(1 for r in history if r.kind == Reminder.Kind.REMINDER)
        last = history[-1].sent_on
        if reminders < wave.max_reminders and (today - last).days >= wave.reminder_gap_days:
            result.append((user, Reminder.Kind.REMINDER))
    return result


def send_wave_email(*, wave_id: int, user_id: int, kind: str, today: date) -> bool:
    """Send one invitation or reminder; ``False`` when it was already sent today."""
    wave = Wave.objects.select_related("programme").get(pk=wave_id)
    user = User.objects.get(pk=user_id)
    try:
        with transaction.atomic():
            Reminder.objects.create(wave=wave, user=user, kind=kind, sent_on=today)
            context = {
                "wave": wave,
                "user": user,
                "kind": kind,
                "answer_url": mail.absolute_url(
                    reverse("evaluation:answer", kwargs={"pk": wave.pk})
                ),
            }
            sent = mail.send_reminder(
                to=user,
                programme_id=wave.programme_id,
                subject="evaluation/email/wave_subject.txt",
                template="evaluation/email/wave",
                context=context,
            )
            if not sent:
                transaction.set_rollback(True)
                return False
    except IntegrityError:
        return False
    return True


def run_wave_schedule(*, today: date) -> dict[str, int]:
    """Nightly: open and close waves, then queue today's invitations and reminders."""
    from .tasks import send_wave_email_task

    counts = {"opened": 0, "closed": 0, "emails": 0}
    for wave in Wave.objects.exclude(status=Wave.Status.CLOSED).select_related("programme"):
        before = wave.status
        advance_wave(wave=wave, today=today)
        if before != wave.status:
            counts["opened" if wave.status == Wave.Status.OPEN else "closed"] += 1
        for user, kind in due_emails(wave, today):
            send_wave_email_task.delay(wave.pk, user.pk, str(kind), today.isoformat())
            counts["emails"] += 1
    return counts


# ---------------------------------------------------------------------------------------------
# Comparison group (non-participants invited by email)


def comparison_token(invitee: ComparisonInvitee) -> str:
    return tokens.COMPARISON.make({"c": invitee.pk})


COMPARISON_LINK_MAX_DAYS = 120


def comparison_from_token(token: str) -> ComparisonInvitee | None:
    """The invitee a comparison link was sent to, or None when the link is forged, older than
    :data:`COMPARISON_LINK_MAX_DAYS` or its wave's closing date has passed."""
    data = tokens.COMPARISON.read(token, max_age=timedelta(days=COMPARISON_LINK_MAX_DAYS))
    if data is None:
        return None
    pk = data.get("c")
    if not isinstance(pk, int):
        return None
    invitee = (
        ComparisonInvitee.objects.select_related("wave", "wave__programme", "wave__instrument")
        .filter(pk=pk)
        .first()
    )
    if invitee is None or timezone.localdate() > invitee.wave.closes_on:
        return None
    return invitee


def parse_invitees(lines: str) -> tuple[list[tuple[str, str]], list[str]]:
    """``Name <email>`` or ``email`` per line → ``[(email, name)]`` and plain-words errors."""
    people: list[tuple[str, str]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(lines.splitlines(), start=1):
        text = line.strip()
        if not text:
            continue
        name, email = "", text
        if "<" in text and text.endswith(">"):
            name, email = text[: text.index("<")].strip(), text[text.index("<") + 1 : -1]
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Line %(number)s: “%(text)s” is not an email address.")
                % {"number": number, "text": text}
            )
            continue
        if email in seen:
            errors.append(
                _("Line %(number)s: %(email)s is listed twice.")
                % {"number": number, "email": email}
            )
            continue
        seen.add(email)
        people.append((email, name))
    if not people and not errors:
        errors.append(_("Give at least one email address."))
    return people, errors


@transaction.atomic
def invite_comparison_group(
    *, wave: Wave, lines: str, invited_by: User | None
) -> list[ComparisonInvitee]:
    """Invite non-participants to answer ``wave``. All or nothing: with any bad line, nobody is
    invited and every bad line is named. People who are peers of the programme are refused (they
    are participants), and someone invited already is not invited twice."""
    from .tasks import send_comparison_invitation

    if wave.status == Wave.Status.CLOSED:
        raise EvaluationError(_("This survey is closed."))
    people, errors = parse_invitees(lines)
    peers = set(
        User.objects.filter(
            memberships__programme_id=wave.programme_id, memberships__role="peer"
        ).values_list("email", flat=True)
    )
    for email, _name in people:
        if email in {p.lower() for p in peers}:
            errors.append(
                _("%(email)s is a peer of this programme, not a comparison.") % {"email": email}
            )
    if errors:
        raise InviteeErrors(errors)
    invitees = []
    for email, name in people:
        invitee, created = ComparisonInvitee.objects.get_or_create(
            wave=wave, email=email, defaults={"full_name": name, "invited_by": invited_by}
        )
        if created:
            invitees.append(invitee)
            transaction.on_commit(
                lambda pk=invitee.pk: send_comparison_invitation.delay(pk)  # type: ignore[misc]
            )
    return invitees


class InviteeErrors(EvaluationError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__(" ".join(errors))
        self.errors = errors


def send_comparison_email(*, invitee_id: int) -> bool:
    """Send the invitation once; ``False`` when it was sent already."""
    with transaction.atomic():
        invitee = (
            ComparisonInvitee.objects.select_for_update()
            .select_related("wave", "wave__programme")
            .get(pk=invitee_id)
        )
        if invitee.sent_at is not None:
            return False
        context = {
            "invitee": invitee,
            "wave": invitee.wave,
            "answer_url": mail.absolute_url(
                reverse("evaluation:comparison", kwargs={"token": comparison_token(invitee)})
            ),
        }
        mail.send_email(
            to=invitee.email,
            subject="evaluation/email/comparison_subject.txt",
            template="evaluation/email/comparison",
            context=context,
        )
        invitee.sent_at = timezone.now()
        invitee.save(update_fields=["sent_at"])
    return True


class ComparisonAlreadyAnswered(EvaluationError):
    """A comparison link is used again after its answers were sent."""


def comparison_items(instrument: Instrument) -> list[Item]:
    """The items a non-participant answers: all but the "which peers" picker."""
    return [item for item in instrument.items.all() if item.kind != Item.Kind.PEERS]


@transaction.atomic
def submit_comparison(
    *, invitee: ComparisonInvitee, data: Mapping[str, Sequence[str]]
) -> ComparisonInvitee:
    """Store a comparison answer, once: a link already answered accepts nothing more, so a
    forwarded link can neither read nor overwrite the answers. Every answer must fit and the
    required ones be given; otherwise :class:`AnswerErrors` and nothing is stored."""
    invitee = ComparisonInvitee.objects.select_for_update().get(pk=invitee.pk)
    if invitee.submitted_at is not None:
        raise ComparisonAlreadyAnswered(_("This survey has already been answered with this link."))
    wave = invitee.wave
    if wave.status != Wave.Status.OPEN:
        raise EvaluationError(_("This survey is not open for answers."))
    answers: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for item in comparison_items(wave.instrument):
        try:
            value = clean_answer(item, data.get(field_name(item), []), peer_ids=set())
        except ValueError as error:
            errors[item.code] = str(error)
            continue
        if item.required and value.empty:
            errors[item.code] = _("Please answer this question.")
        elif not value.empty:
            answers[item.code] = {
                "number": value.number,
                "choice": value.choice,
                "selected": value.selected or [],
                "text": value.text,
            }
    if errors:
        raise AnswerErrors(errors)
    invitee.answers = answers
    invitee.submitted_at = timezone.now()
    invitee.save(update_fields=["answers", "submitted_at"])
    return invitee


# ---------------------------------------------------------------------------------------------
# Stories


STORY_FIELDS = ("title", "event", "immediate_value", "potential_value", "aspirational_ending")


@transaction.atomic
def start_story(
    *,
    programme: Programme,
    author: User,
    title: str,
    immediate_value: str,
    potential_value: str,
    aspirational_ending: str,
    event: str = "",
    visibility: str = "facilitators",
) -> Story:
    missing = [
        name
        for name, value in (
            ("title", title),
            ("immediate_value", immediate_value),
            ("potential_value", potential_value),
            ("aspirational_ending", aspirational_ending),
        )
        if not value.strip()
    ]
    if missing:
        raise EvaluationError(_("Fill in the title, both values and the aspirational ending."))
    return Story.objects.create(
        programme=programme,
        author=author,
        title=title.strip(),
        event=event.strip(),
        immediate_value=immediate_value.strip(),
        potential_value=potential_value.strip(),
        aspirational_ending=aspirational_ending.strip(),
        visibility=visibility,
    )


@transaction.atomic
def follow_up_story(
    *, story: Story, applied_value: str, realised_value: str, wave: Wave | None = None
) -> Story:
    if not applied_value.strip() and not realised_value.strip():
        raise EvaluationError(_("Tell how you applied it, or what it changed, or both."))
    story.applied_value = applied_value.strip()
    story.realised_value = realised_value.strip()
    story.followed_up_at = timezone.now()
    if wave is not None:
        story.follow_up_wave = wave
    story.save()
    return story


# ---------------------------------------------------------------------------------------------
# Indicators, impact and the audit trail


@transaction.atomic
def take_snapshot(*, programme: Programme, today: date) -> IndicatorSnapshot:
    """Store today's indicators for ``programme`` (again today: replaced, never duplicated)."""
    from .indicators import snapshot_values

    snapshot, _created = IndicatorSnapshot.objects.update_or_create(
        programme=programme, taken_on=today, defaults={"values": snapshot_values(programme)}
    )
    return snapshot


@transaction.atomic
def add_impact_indicator(*, programme: Programme, name: str, unit: str = "") -> ImpactIndicator:
    if not name.strip():
        raise EvaluationError(_("Name the indicator."))
    indicator, _created = ImpactIndicator.objects.get_or_create(
        programme=programme, name=name.strip(), defaults={"unit": unit.strip()}
    )
    return indicator


@transaction.atomic
def record_observation(
    *, indicator: ImpactIndicator, country: str, observed_on: date, value: str
) -> ImpactObservation:
    country = country.strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise EvaluationError(_("Give the country as a two-letter code, for example GH."))
    if not value.strip():
        raise EvaluationError(_("Give the value observed."))
    observation, _created = ImpactObservation.objects.update_or_create(
        indicator=indicator,
        country=country,
        observed_on=observed_on,
        defaults={"value": value.strip()},
    )
    return observation


def record_access(*, programme: Programme, user: Any, action: str, detail: str = "") -> None:
    AccessRecord.objects.create(
        programme=programme,
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        detail=detail[:200],
    )
