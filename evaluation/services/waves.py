"""Survey waves and the people they ask: scheduling, opening and closing a wave, the invitations
and reminders to peers, and the comparison group invited by email."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn import mail
from peerlearn.jobs import enqueue_row_on_commit, hand_over_waiting
from peerlearn.languages import with_language
from peerlearn.users.models import User

from .. import selectors
from ..models import ComparisonInvitee, Instrument, Reminder, Wave
from .comparison import comparison_token
from .errors import EvaluationError, InviteeErrors

if TYPE_CHECKING:
    from programmes.models import Cohort, Programme

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
    """Nightly: open and close waves, then send today's invitations and reminders over one
    connection to the mail server. A run with nothing to do costs a handful of queries whatever
    the number of waves and peers; running it twice on a day sends nothing more."""
    not_closed = ~Q(status=Wave.Status.CLOSED)
    counts = {
        "closed": Wave.objects.filter(not_closed, closes_on__lt=today).update(
            status=Wave.Status.CLOSED
        ),
        "opened": Wave.objects.filter(status=Wave.Status.SCHEDULED, opens_on__lte=today).update(
            status=Wave.Status.OPEN
        ),
        "emails": 0,
    }
    waves = Wave.objects.filter(
        status=Wave.Status.OPEN, opens_on__lte=today, closes_on__gte=today
    ).select_related("programme")
    due = selectors.due_wave_emails(waves, today)
    answer_urls: dict[int, str] = {}

    def build(item: tuple[Wave, User, str]) -> Any:
        wave, user, kind = item
        if wave.pk not in answer_urls:
            path = reverse("evaluation:answer", kwargs={"pk": wave.pk})
            answer_urls[wave.pk] = mail.absolute_url(path)
        return mail.build_reminder(
            to=user,
            programme_id=wave.programme_id,
            subject="evaluation/email/wave_subject.txt",
            template="evaluation/email/wave",
            context={"wave": wave, "user": user, "kind": kind, "answer_url": answer_urls[wave.pk]},
        )

    def record(sent: list[tuple[Wave, User, str]]) -> None:
        Reminder.objects.bulk_create(
            [Reminder(wave=wave, user=user, kind=kind, sent_on=today) for wave, user, kind in sent],
            ignore_conflicts=True,
        )

    counts["emails"] = mail.send_batch(due, build, record)
    return counts


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
    from ..tasks import send_comparison_invitation

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
            enqueue_row_on_commit(send_comparison_invitation, invitee)
    return invitees


def send_comparison_email(*, invitee_id: int) -> bool:
    """Send the invitation once; ``False`` when it was sent already (or withdrawn)."""
    with transaction.atomic():
        invitee = (
            ComparisonInvitee.objects.select_for_update()
            .select_related("wave", "wave__programme")
            .filter(pk=invitee_id)
            .first()
        )
        if invitee is None or invitee.sent_at is not None:
            return False
        language = mail.language_of(invitee.email, fallback=invitee.wave.programme.language)
        answer_url = mail.absolute_url(
            reverse("evaluation:comparison", kwargs={"token": comparison_token(invitee)})
        )
        context = {
            "invitee": invitee,
            "wave": invitee.wave,
            "answer_url": with_language(answer_url, language),
        }
        mail.send_email(
            to=invitee.email,
            subject="evaluation/email/comparison_subject.txt",
            template="evaluation/email/comparison",
            context=context,
            language=language,
        )
        invitee.sent_at = timezone.now()
        invitee.save(update_fields=["sent_at"])
    return True


# An invitation the broker never took is handed over again COMPARISON_GRACE after it was made;
# one it took but that is still not sent COMPARISON_REQUEUE_AFTER later (a lost message, or a
# mail server that kept refusing it) is handed over again, until COMPARISON_GIVE_UP_AFTER.
COMPARISON_GRACE = timedelta(minutes=1)
COMPARISON_REQUEUE_AFTER = timedelta(minutes=30)
COMPARISON_GIVE_UP_AFTER = timedelta(days=2)


def queue_waiting_comparison_invitations(*, now: datetime | None = None) -> int:
    """Periodic: hand to the broker every comparison invitation of a survey not closed whose
    email waits for it. Returns how many were handed over."""
    from ..tasks import send_comparison_invitation

    return hand_over_waiting(
        ComparisonInvitee.objects.filter(sent_at__isnull=True).exclude(
            wave__status=Wave.Status.CLOSED
        ),
        send_comparison_invitation,
        now=now or timezone.now(),
        grace=COMPARISON_GRACE,
        requeue_after=COMPARISON_REQUEUE_AFTER,
        requested="invited_at",
        give_up_after=COMPARISON_GIVE_UP_AFTER,
    )
