"""Statement vectors and the theme model in use.

Each challenge statement's vector (language, sentence embedding, concepts) is computed once,
by a job queued when the statement is submitted (or by the first proposal that needs it), and
stored in :class:`~matching.models.ChallengeVector`. Proposals read the stored vectors; a
statement submitted after the cohort has themes is placed by :func:`assign_late_statements`
with the model fitted on the stored vectors of the themes in use
(:class:`~matching.models.ThemeModelState`). That costs the same for every submission,
whatever the size of the cohort, except the first one after statements changed theme, which
fits the model again from the stored vectors (no statement is embedded again).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from .. import themes
from ..models import Challenge, ChallengeVector, IntakeSurvey, Theme, ThemeModelState

if TYPE_CHECKING:
    from ..themes import StatementVector, ThemeModel

EMBED_BATCH = 128
ID_CHUNK = 2000  # ids per ``IN (...)``: well below SQLite's limit on query parameters


def _chunks(ids: Sequence[int], size: int = ID_CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _decode(rows: Iterable[tuple[int, dict[str, object]]]) -> dict[int, StatementVector]:
    out: dict[int, StatementVector] = {}
    for challenge_id, data in rows:
        try:
            out[challenge_id] = themes.StatementVector.from_dict(data)
        except (ValueError, KeyError, TypeError):  # another version, or damaged: embed again
            continue
    return out


def stored_vectors(
    challenge_ids: Sequence[int], *, survey: IntakeSurvey | None = None
) -> dict[int, StatementVector]:
    """The stored vectors of the pipeline's current version, by challenge id (a cohort's in
    one query when ``survey`` is given)."""
    version = themes.model_version()
    if survey is not None:
        rows = ChallengeVector.objects.filter(
            challenge__response__survey=survey, version=version
        ).values_list("challenge_id", "data")
        wanted = set(challenge_ids)
        return {k: v for k, v in _decode(rows).items() if k in wanted}
    out: dict[int, StatementVector] = {}
    for chunk in _chunks(list(challenge_ids)):
        found = ChallengeVector.objects.filter(challenge_id__in=chunk, version=version)
        out.update(_decode(found.values_list("challenge_id", "data")))
    return out


def _store(challenges: Sequence[Challenge], vectors: Sequence[StatementVector]) -> None:
    """Store vectors (replacing those of another version) and the statements' languages;
    statements deleted in the meantime are skipped."""
    ids = [c.pk for c in challenges]
    for _attempt in range(2):
        try:
            with transaction.atomic():
                alive = set(Challenge.objects.filter(pk__in=ids).values_list("pk", flat=True))
                rows = [
                    ChallengeVector(challenge_id=c.pk, version=v.version, data=v.to_dict())
                    for c, v in zip(challenges, vectors, strict=True)
                    if c.pk in alive
                ]
                ChallengeVector.objects.bulk_create(
                    rows,
                    update_conflicts=True,
                    unique_fields=["challenge"],
                    update_fields=["version", "data", "created_at"],
                )
                changed = []
                for challenge, vector in zip(challenges, vectors, strict=True):
                    if challenge.pk in alive and challenge.language != vector.language:
                        challenge.language = vector.language
                        changed.append(challenge)
                Challenge.objects.bulk_update(changed, ["language"], batch_size=500)
            return
        except IntegrityError:  # a statement was deleted while storing: try once more
            continue


def vectors_of(
    challenges: Sequence[Challenge],
    *,
    survey: IntakeSurvey | None = None,
    progress: Callable[[float], None] | None = None,
) -> list[StatementVector]:
    """One vector per challenge: the stored ones, and the others computed (in batches, each
    stored as soon as it is done) — so a statement is embedded once."""
    found = stored_vectors([c.pk for c in challenges], survey=survey)
    missing = [c for c in challenges if c.pk not in found]
    for start in range(0, len(missing), EMBED_BATCH):
        batch = missing[start : start + EMBED_BATCH]
        languages = [c.language or None for c in batch]
        computed = themes.embed([c.text for c in batch], languages=languages)
        _store(batch, computed)
        found.update({c.pk: v for c, v in zip(batch, computed, strict=True)})
        if progress is not None:
            progress((start + len(batch)) / len(missing))
    if progress is not None:
        progress(1.0)
    return [found[c.pk] for c in challenges]


def embed_statements(*, challenge_ids: Sequence[int]) -> int:
    """Compute and store the vectors these statements do not have yet; returns how many."""
    challenges = list(Challenge.objects.filter(pk__in=list(challenge_ids)).order_by("pk"))
    stored = stored_vectors([c.pk for c in challenges])
    missing = [c for c in challenges if c.pk not in stored]
    vectors_of(missing)
    return len(missing)


# ---------------------------------------------------------------------- the model in use


def forget_model(survey: IntakeSurvey) -> None:
    """Statements changed theme: the model is fitted again when it is next needed."""
    ThemeModelState.objects.filter(survey=survey).delete()


def store_model(survey: IntakeSurvey, model: ThemeModel, theme_ids: Sequence[int]) -> None:
    ThemeModelState.objects.update_or_create(
        survey=survey,
        defaults={
            "version": themes.model_version(),
            "theme_ids": list(theme_ids),
            "data": model.to_dict(),
        },
    )


def _submitted(survey: IntakeSurvey) -> QuerySet[Challenge]:
    return Challenge.objects.filter(response__survey=survey, response__submitted_at__isnull=False)


def fit_current_model(survey: IntakeSurvey) -> tuple[ThemeModel, list[int]]:
    """Fit the model of the themes in use from the cohort's stored vectors, and store it."""
    theme_ids = list(survey.themes.order_by("pk").values_list("pk", flat=True))
    names = [str(pk) for pk in theme_ids]
    challenges = list(_submitted(survey).order_by("pk"))
    position = {pk: index for index, pk in enumerate(theme_ids)}
    labels = [position.get(c.theme_id) if c.theme_id else None for c in challenges]
    vectors = vectors_of(challenges, survey=survey)
    model = themes.fit_model(vectors, labels, names)
    store_model(survey, model, theme_ids)
    return model, theme_ids


def current_model(survey: IntakeSurvey) -> tuple[ThemeModel, list[int]]:
    """The model of the themes in use: the stored one, or fitted again when statements have
    changed theme since (or the pipeline's version changed)."""
    state = ThemeModelState.objects.filter(survey=survey).first()
    if state is not None and state.version == themes.model_version():
        try:
            return themes.ThemeModel.from_dict(state.data), [int(i) for i in state.theme_ids]
        except (ValueError, KeyError, TypeError):
            pass
    return fit_current_model(survey)


def assign_late_statements(*, survey_id: int, challenge_ids: Sequence[int]) -> int:
    """Compute the vectors of newly submitted statements and, when the cohort has themes, give
    each of them that has no theme yet the theme the model in use assigns (none when no theme
    is close enough: the facilitator sees it among the statements without a theme).

    Idempotent. Returns how many statements got a theme.
    """
    survey = IntakeSurvey.objects.filter(pk=survey_id).first()
    if survey is None:
        return 0
    embed_statements(challenge_ids=challenge_ids)
    if not Theme.objects.filter(survey=survey).exists():
        return 0
    waiting = list(
        _submitted(survey).filter(pk__in=list(challenge_ids), theme__isnull=True).order_by("pk")
    )
    if not waiting:
        return 0
    model, theme_ids = current_model(survey)
    vectors = stored_vectors([c.pk for c in waiting])
    ready = [c for c in waiting if c.pk in vectors]
    assignments = model.assign([vectors[c.pk] for c in ready])
    placed = 0
    with transaction.atomic():
        # The themes may have been replaced meanwhile: read them under the cohort's lock.
        IntakeSurvey.objects.select_for_update().filter(pk=survey.pk).first()
        existing = set(survey.themes.filter(pk__in=theme_ids).values_list("pk", flat=True))
        for challenge, assignment in zip(ready, assignments, strict=True):
            if assignment.theme is None or theme_ids[assignment.theme] not in existing:
                continue
            placed += Challenge.objects.filter(pk=challenge.pk, theme__isnull=True).update(
                theme_id=theme_ids[assignment.theme]
            )
    return placed
