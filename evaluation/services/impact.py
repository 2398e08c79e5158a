"""Indicator snapshots, impact indicators and their observations, and the access audit trail."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import AccessRecord, ImpactIndicator, ImpactObservation, IndicatorSnapshot
from .errors import EvaluationError

if TYPE_CHECKING:
    from programmes.models import Programme


@transaction.atomic
def take_snapshot(*, programme: Programme, today: date) -> IndicatorSnapshot:
    """Store today's indicators for ``programme`` (again today: replaced, never duplicated)."""
    from ..indicators import snapshot_values

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
