"""Writes for the problem themes in use: renamed, merged, created from chosen statements,
deleted when empty, statements moved between them, accepted for matching.

Every change counts one revision of the cohort's themes (so a version compared before the
change cannot silently replace it) and names who made it; a change of statements drops the
fitted theme model (fitted again for the next late statement). Proposals and versions are in
``theme_versions``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.users.models import User

from ..models import Challenge, IntakeSurvey, Theme
from .errors import MatchingError
from .statement_vectors import forget_model

NAME_LENGTH = 120


def clean_theme_name(name: str) -> str:
    """A theme name as it is stored: control characters removed, white space collapsed.
    Refused (``MatchingError``) when empty or too long."""
    text = "".join(ch if unicodedata.category(ch) != "Cc" else " " for ch in str(name))
    text = " ".join(text.split())
    if not text:
        raise MatchingError(_("A theme needs a name."), field="name")
    if len(text) > NAME_LENGTH:
        raise MatchingError(
            _("A theme name has at most %(count)d characters.") % {"count": NAME_LENGTH},
            field="name",
        )
    return text


def _refuse_taken(survey: IntakeSurvey, name: str, exclude: int | None = None) -> None:
    taken = survey.themes.exclude(pk=exclude or 0).filter(name__iexact=name)
    if any(t.name.casefold() == name.casefold() for t in taken):
        raise MatchingError(
            _("Another theme is already called “%(name)s”: choose another name, or merge them.")
            % {"name": name},
            field="name",
        )


def touched(survey: IntakeSurvey, *, by: User | None, statements_moved: bool) -> None:
    """Count one revision of the cohort's themes; they need accepting again."""
    now = timezone.now()
    IntakeSurvey.objects.filter(pk=survey.pk).update(
        themes_revision=F("themes_revision") + 1,
        themes_edited_at=now,
        themes_edited_by=by,
        themes_accepted_at=None,
    )
    survey.refresh_from_db(
        fields=["themes_revision", "themes_edited_at", "themes_edited_by", "themes_accepted_at"]
    )
    if statements_moved:
        forget_model(survey)


def _locked(survey: IntakeSurvey) -> IntakeSurvey:
    """Changes to one cohort's themes happen one after the other."""
    return IntakeSurvey.objects.select_for_update().get(pk=survey.pk)


@transaction.atomic
def rename_theme(*, theme: Theme, name: str, by: User | None = None) -> Theme:
    survey = _locked(theme.survey)
    name = clean_theme_name(name)
    if name == theme.name:
        return theme
    _refuse_taken(survey, name, exclude=theme.pk)
    theme.name = name
    theme.save(update_fields=["name"])
    touched(survey, by=by, statements_moved=False)
    return theme


@transaction.atomic
def merge_themes(*, source: Theme, target: Theme, by: User | None = None) -> Theme:
    if source.pk == target.pk:
        raise MatchingError(_("Choose two different themes to merge."), field="target")
    if source.survey_id != target.survey_id:
        raise MatchingError(_("Themes of different cohorts cannot be merged."), field="target")
    survey = _locked(source.survey)
    source.challenges.update(theme=target)
    source.delete()
    touched(survey, by=by, statements_moved=True)
    return target


def _chosen(survey: IntakeSurvey, challenge_ids: Iterable[int]) -> list[int]:
    ids = sorted(set(challenge_ids))
    if not ids:
        raise MatchingError(_("Choose at least one statement."), field="challenges")
    found = list(
        Challenge.objects.filter(response__survey=survey, pk__in=ids).values_list("pk", flat=True)
    )
    if len(found) != len(ids):
        raise MatchingError(
            _("Some of the chosen statements are not statements of this cohort any more."),
            field="challenges",
        )
    return found


@transaction.atomic
def move_statements(
    *,
    survey: IntakeSurvey,
    challenge_ids: Iterable[int],
    theme: Theme | None,
    by: User | None = None,
) -> int:
    """Move the chosen statements of the cohort to ``theme`` (None: out of every theme)."""
    survey = _locked(survey)
    if theme is not None and theme.survey_id != survey.pk:
        raise MatchingError(_("That theme belongs to another cohort."), field="target")
    ids = _chosen(survey, challenge_ids)
    moved = Challenge.objects.filter(pk__in=ids).update(theme=theme)
    touched(survey, by=by, statements_moved=True)
    return moved


@transaction.atomic
def create_theme(
    *,
    survey: IntakeSurvey,
    name: str,
    challenge_ids: Iterable[int] = (),
    by: User | None = None,
) -> Theme:
    """A new theme called ``name``, holding the chosen statements (taken from their themes)."""
    survey = _locked(survey)
    name = clean_theme_name(name)
    _refuse_taken(survey, name)
    ids = list(challenge_ids)
    chosen = _chosen(survey, ids) if ids else []
    theme = Theme.objects.create(survey=survey, name=name)
    if chosen:
        Challenge.objects.filter(pk__in=chosen).update(theme=theme)
    touched(survey, by=by, statements_moved=bool(chosen))
    return theme


@transaction.atomic
def delete_empty_theme(*, theme: Theme, by: User | None = None) -> None:
    survey = _locked(theme.survey)
    if theme.challenges.exists():
        raise MatchingError(_("Only a theme without statements can be deleted."))
    theme.delete()
    touched(survey, by=by, statements_moved=False)


@transaction.atomic
def accept_themes(*, survey: IntakeSurvey) -> None:
    if not survey.themes.exists():
        raise MatchingError(_("There are no themes to accept yet."))
    survey.themes_accepted_at = timezone.now()
    survey.save(update_fields=["themes_accepted_at"])
