"""Building instruments: a new instrument, its questions, and a new version once it has answers."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from peerlearn.users.models import User

from .. import selectors
from ..models import Instrument, Item, Wave
from .errors import EvaluationError

if TYPE_CHECKING:
    from programmes.models import Programme


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
