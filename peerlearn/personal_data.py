"""A person's data: what PeerLearn holds about them, to download, and how it is erased.

Each app declares, in its ``AppConfig.ready()``, for every model of its own that names a person
(a foreign key or many-to-many to the user, or an email address copied before they joined) how
that model's rows are found for a person and what erasure does to them, with
:func:`register_personal_data`. The kernel knows the apps' models only by their label
("app_label.Model"), so it imports no app.

Erasure keeps the person's account row and every row that points to it, so counts, groups,
other people's content and the audit trail stay as they were; it blanks or deletes what is
personal (free text the person wrote about themselves, names, copies of their address), and the
account itself loses its name, address and password and shows as "Former participant".
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone

from peerlearn.aggregates import one_row, scalar

#: The domain of the addresses erased accounts get (reserved: it never receives mail).
ERASED_DOMAIN = "erased.invalid"


#: What an erased piece of free text reads, where a blank would change what is counted (an
#: answered question stays answered). A blank text stays blank.
ERASED_TEXT = "[erased]"


def erased_email(user_id: int) -> str:
    return f"former-participant-{user_id}@{ERASED_DOMAIN}"


@dataclass(frozen=True)
class Erasure:
    """What an eraser knows about the person being erased."""

    user: Any
    email: str  # the address the person had, before erasure
    full_name: str  # the name the person had, before erasure
    replacement_email: str  # the address that takes its place in copies


Scrub = Mapping[str, Any]  # field -> new value, or a callable (Erasure) -> new value


@dataclass(frozen=True)
class PersonalData:
    """How one model holds a person's data.

    ``owner`` is a lookup from the model to the user ("author", "response__respondent");
    ``email_field`` names a field holding a copy of the person's address (an invitation made
    before they had an account), matched without regard to case. A row that matches either is
    the person's: it goes into their download, and at erasure its ``scrub`` fields are
    overwritten, or the row is deleted when ``delete`` is set. ``references`` name the model's
    other fields that point to a user and simply keep pointing to the erased account (who
    created, confirmed or moved something). ``exclude`` are fields never put in a download
    (secrets such as a feed's token).
    """

    model: str
    owner: str = ""
    email_field: str = ""
    scrub: Scrub = field(default_factory=dict)
    delete: bool = False
    references: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    export: bool = True

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def _matching(self, user: Any, email: str | None = None) -> models.QuerySet[Any]:
        condition = Q(pk__in=[])
        if self.owner:
            condition |= Q(**{self.owner: user})
        address = email if email is not None else user.email
        if self.email_field and address:
            condition |= Q(**{f"{self.email_field}__iexact": address})
        return self.model_class()._default_manager.filter(condition)

    def rows_of(self, user: Any, email: str | None = None) -> models.QuerySet[Any]:
        return self._matching(user, email).distinct().order_by("pk")

    def count_of(self, user: Any) -> models.QuerySet[Any]:
        """How many of the model's rows are ``user``'s, as a one-value query."""
        return scalar(self._matching(user), Count("pk", distinct=True))

    def covers(self) -> set[str]:
        """The model's own fields this declaration accounts for."""
        named = {self.owner.split("__")[0]} if self.owner else set()
        return named | set(self.references)


Eraser = Callable[[Erasure], int]

_DECLARATIONS: list[PersonalData] = []
_ERASERS: dict[str, Eraser] = {}


def register_personal_data(*declarations: PersonalData) -> None:
    """Declare how models hold a person's data (registering the same model and owner again
    replaces the earlier declaration)."""
    for declaration in declarations:
        _DECLARATIONS[:] = [
            d
            for d in _DECLARATIONS
            if (d.model, d.owner, d.email_field)
            != (declaration.model, declaration.owner, declaration.email_field)
        ]
        _DECLARATIONS.append(declaration)


def register_eraser(name: str, eraser: Eraser) -> None:
    """A function run at every erasure for data no declaration can describe (a person's entry
    inside a stored list); it returns how many things it changed."""
    _ERASERS[name] = eraser


def declarations() -> list[PersonalData]:
    return list(_DECLARATIONS)


def covered_fields() -> dict[str, set[str]]:
    """For each model label, the fields naming a user that some declaration accounts for."""
    covered: dict[str, set[str]] = {}
    for declaration in _DECLARATIONS:
        covered.setdefault(declaration.model, set()).update(declaration.covers())
    return covered


def user_fields(model: type[models.Model]) -> list[str]:
    """The fields of ``model`` that point to the user model (foreign keys, one-to-ones, M2M)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    return [
        f.name
        for f in model._meta.get_fields()
        if f.concrete
        and (f.many_to_one or f.one_to_one or f.many_to_many)
        and f.related_model is user_model
    ]


def uncovered() -> list[str]:
    """Every "app_label.Model.field" pointing to a user that no declaration accounts for (the
    user model's own relations, proxies and unmanaged models aside)."""
    covered = covered_fields()
    missing = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for name in user_fields(model):
            if name not in covered.get(model._meta.label, set()):
                missing.append(f"{model._meta.label}.{name}")
    return missing


# The download.


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "storage"):  # a stored file
        return value.name or ""
    return value


def _row(instance: models.Model, exclude: Iterable[str]) -> dict[str, Any]:
    skipped = set(exclude)
    row: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if f.name in skipped:
            continue
        if f.is_relation:
            row[f.name] = getattr(instance, f.attname)
        else:
            row[f.name] = _plain(getattr(instance, f.name))
    return row


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    key: json.dumps(value, ensure_ascii=False)
                    if isinstance(value, dict | list)
                    else value
                    for key, value in row.items()
                }
            )
    return buffer.getvalue()


PROFILE_FIELDS = ("id", "email", "full_name", "preferred_language", "date_joined", "last_login")


def _exported_counts(user: Any) -> list[tuple[PersonalData, int]]:
    """Each exported declaration with how many rows it holds about ``user``, all counted in
    one query."""
    exported = [declaration for declaration in _DECLARATIONS if declaration.export]
    counts = one_row(
        **{f"d{index}": declaration.count_of(user) for index, declaration in enumerate(exported)}
    )
    return [
        (declaration, int(counts[f"d{index}"] or 0)) for index, declaration in enumerate(exported)
    ]


def collect(user: Any) -> dict[str, list[dict[str, Any]]]:
    """Everything held about ``user``, by model label: their profile and the rows of every
    declared model that are theirs (a model holding none of them costs no query)."""
    data: dict[str, list[dict[str, Any]]] = {
        "users.User": [{name: _plain(getattr(user, name)) for name in PROFILE_FIELDS}]
    }
    for declaration, count in _exported_counts(user):
        if not count:
            continue
        rows = [_row(row, declaration.exclude) for row in declaration.rows_of(user)]
        if rows:
            existing = data.setdefault(declaration.model, [])
            seen = {row["id"] for row in existing if "id" in row}
            existing.extend(row for row in rows if row.get("id") not in seen)
    return data


def export_zip(user: Any) -> bytes:
    """A ZIP with one JSON and one CSV file per kind of data held about ``user``."""
    data = collect(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        index = []
        for label, rows in sorted(data.items()):
            stem = label.replace(".", "/")
            archive.writestr(f"{stem}.json", json.dumps(rows, ensure_ascii=False, indent=2))
            archive.writestr(f"{stem}.csv", _csv(rows))
            index.append(
                {"data": label, "rows": len(rows), "files": [f"{stem}.json", f"{stem}.csv"]}
            )
        archive.writestr(
            "index.json",
            json.dumps(
                {"exported_at": timezone.now().isoformat(), "contents": index},
                ensure_ascii=False,
                indent=2,
            ),
        )
    return buffer.getvalue()


def size_of(user: Any) -> int:
    """How many rows are held about ``user`` (to decide whether to build a download now), in
    one query."""
    return sum(count for _declaration, count in _exported_counts(user))


# Erasure.


def _value(value: Any, erasure: Erasure) -> Any:
    return value(erasure) if callable(value) else value


@transaction.atomic
def erase(user: Any) -> dict[str, int]:
    """Erase ``user``'s personal data; returns how many rows of each kind were changed.

    Idempotent: erasing an erased account changes nothing more.
    """
    erasure = Erasure(
        user=user,
        email=user.email,
        full_name=user.full_name,
        replacement_email=erased_email(user.pk),
    )
    changed: dict[str, int] = {}
    for declaration in _DECLARATIONS:
        rows = declaration.rows_of(user, erasure.email)
        if declaration.delete:
            count = rows.count()
            declaration.model_class()._default_manager.filter(
                pk__in=list(rows.values_list("pk", flat=True))
            ).delete()
        elif declaration.scrub:
            count = 0
            for row in rows:
                for name, value in declaration.scrub.items():
                    if value == ERASED_TEXT and not getattr(row, name):
                        continue
                    setattr(row, name, _value(value, erasure))
                row.save(update_fields=list(declaration.scrub))
                count += 1
        else:
            continue
        if count:
            changed[declaration.model] = changed.get(declaration.model, 0) + count
    for name, eraser in _ERASERS.items():
        count = eraser(erasure)
        if count:
            changed[name] = count
    user.full_name = ""
    user.email = erasure.replacement_email
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    if user.erased_at is None:
        user.erased_at = timezone.now()
    user.save()
    return changed
