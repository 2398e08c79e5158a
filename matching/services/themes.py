"""Writes for problem themes: proposed from the challenge statements, then renamed, merged,
split and accepted by the facilitator; new statements join the nearest theme."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..models import Challenge, IntakeSurvey, Theme
from ..themes import TfidfEmbedder, cosine, propose_themes
from .errors import MatchingError


def assign_to_nearest_theme(*, survey: IntakeSurvey, challenges: Sequence[Challenge]) -> None:
    """Give new statements the theme whose statements they resemble most (none if no overlap)."""
    themed = list(
        Challenge.objects.filter(response__survey=survey, theme__isnull=False).exclude(
            pk__in=[c.pk for c in challenges]
        )
    )
    if not themed:
        return
    vectors = TfidfEmbedder().embed([c.text for c in themed] + [c.text for c in challenges])
    by_theme: dict[int, list[int]] = {}
    for index, challenge in enumerate(themed):
        assert challenge.theme_id is not None
        by_theme.setdefault(challenge.theme_id, []).append(index)
    for offset, challenge in enumerate(challenges):
        vector = vectors[len(themed) + offset]
        best_theme, best = None, 0.0
        for theme_id, indexes in sorted(by_theme.items()):
            score = sum(cosine(vector, vectors[i]) for i in indexes) / len(indexes)
            if score > best:
                best_theme, best = theme_id, score
        if best_theme is not None:
            challenge.theme_id = best_theme
            challenge.save(update_fields=["theme"])


def _unique_name(survey: IntakeSurvey, name: str, exclude: int | None = None) -> str:
    name = " ".join(name.split())[:120] or _("Theme")
    taken = {
        n.casefold() for n in survey.themes.exclude(pk=exclude or 0).values_list("name", flat=True)
    }
    candidate, suffix = name, 2
    while candidate.casefold() in taken:
        candidate = f"{name[:110]} ({suffix})"
        suffix += 1
    return candidate


@transaction.atomic
def propose_cohort_themes(*, survey: IntakeSurvey, count: int | None = None) -> list[Theme]:
    """Replace the cohort's themes by clusters of its challenge statements."""
    challenges = selectors.submitted_challenges(survey)
    if not challenges:
        raise MatchingError(_("No challenge statements yet: themes come from the intake answers."))
    proposals = propose_themes([c.text for c in challenges], k=count)
    survey.themes.all().delete()
    created: list[Theme] = []
    for proposal in proposals:
        theme = Theme.objects.create(survey=survey, name=_unique_name(survey, proposal.name))
        Challenge.objects.filter(pk__in=[challenges[i].pk for i in proposal.members]).update(
            theme=theme
        )
        created.append(theme)
    survey.themes_accepted_at = None
    survey.save(update_fields=["themes_accepted_at"])
    return created


def _themes_changed(survey: IntakeSurvey) -> None:
    if survey.themes_accepted_at is not None:
        survey.themes_accepted_at = None
        survey.save(update_fields=["themes_accepted_at"])


@transaction.atomic
def rename_theme(*, theme: Theme, name: str) -> Theme:
    if not " ".join(name.split()):
        raise MatchingError(_("A theme needs a name."))
    theme.name = _unique_name(theme.survey, name, exclude=theme.pk)
    theme.save(update_fields=["name"])
    return theme


@transaction.atomic
def merge_themes(*, source: Theme, target: Theme) -> Theme:
    if source.pk == target.pk:
        raise MatchingError(_("Choose two different themes to merge."))
    if source.survey_id != target.survey_id:
        raise MatchingError(_("Themes of different cohorts cannot be merged."))
    source.challenges.update(theme=target)
    survey = source.survey
    source.delete()
    _themes_changed(survey)
    return target


@transaction.atomic
def split_theme(*, theme: Theme, challenge_ids: Iterable[int], name: str) -> Theme:
    """Move the chosen statements of ``theme`` into a new theme called ``name``."""
    ids = set(challenge_ids)
    chosen = theme.challenges.filter(pk__in=ids)
    if not chosen.exists():
        raise MatchingError(_("Choose the statements that should form the new theme."))
    if chosen.count() == theme.challenges.count():
        raise MatchingError(_("Leave at least one statement in the theme you split."))
    new = Theme.objects.create(survey=theme.survey, name=_unique_name(theme.survey, name))
    chosen.update(theme=new)
    _themes_changed(theme.survey)
    return new


@transaction.atomic
def move_challenge(*, challenge: Challenge, theme: Theme | None) -> Challenge:
    if theme is not None and theme.survey_id != challenge.response.survey_id:
        raise MatchingError(_("That theme belongs to another cohort."))
    challenge.theme = theme
    challenge.save(update_fields=["theme"])
    _themes_changed(challenge.response.survey)
    return challenge


@transaction.atomic
def delete_empty_theme(*, theme: Theme) -> None:
    if theme.challenges.exists():
        raise MatchingError(_("Only a theme without statements can be deleted."))
    theme.delete()


@transaction.atomic
def accept_themes(*, survey: IntakeSurvey) -> None:
    if not survey.themes.exists():
        raise MatchingError(_("There are no themes to accept yet."))
    survey.themes_accepted_at = timezone.now()
    survey.save(update_fields=["themes_accepted_at"])
