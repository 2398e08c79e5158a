"""Answering a survey: reading what was typed for each question, and saving a peer's draft or
submitted response."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.bounds import MAX_NUMBER
from peerlearn.users.models import User
from peerlearn.visibility import Visibility

from .. import selectors
from ..models import Answer, Instrument, Item, Response, Wave
from .errors import AnswerErrors, EvaluationError

WRITE_ATTEMPTS = 5


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


def visibility_field_name(item: Item) -> str:
    """The field in which the respondent says who may read a free-text answer."""
    return f"{field_name(item)}-visibility"


def chosen_visibility(item: Item, data: Mapping[str, Sequence[str]], current: str | None) -> str:
    """Who may read the answer to ``item``: the respondent's choice when it is a known level,
    else what they chose before, else the question's default."""
    chosen = [value for value in data.get(visibility_field_name(item), []) if value]
    if chosen and chosen[-1] in Visibility.values:
        return chosen[-1]
    return current or item.visibility


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
        if abs(number_value) > MAX_NUMBER:
            raise ValueError(
                _("Enter a number between %(min)g and %(max)g.")
                % {"min": -MAX_NUMBER, "max": MAX_NUMBER}
            )
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
            raise ValueError(
                _(
                    "Someone chosen here is not a peer you may choose: choose among the peers "
                    "listed or found by name."
                )
            )
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
    response = Response.objects.select_for_update().filter(wave=wave, respondent=respondent).first()
    instrument = response.instrument if response is not None else wave.instrument
    # Only the peers chosen are looked up among those the respondent may pick.
    chosen = {
        int(value)
        for item in instrument.items.all()
        if item.kind == Item.Kind.PEERS
        for value in data.get(field_name(item), [])
        if str(value).isdecimal() and len(str(value)) < 19  # fits a database integer
    }
    peer_ids = (
        selectors.peer_ids_among(wave.programme, chosen, exclude=respondent.pk, viewer=respondent)
        if chosen
        else set()
    )
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
        answer.visibility = (
            chosen_visibility(items[item_id], data, answer.visibility or None)
            if items[item_id].is_free_text
            else items[item_id].visibility
        )
        answer.save()
    response.updated_at = now
    if submit and not errors:
        response.status = Response.Status.SUBMITTED
        response.submitted_at = response.submitted_at or now
    response.save()
    return response, errors
