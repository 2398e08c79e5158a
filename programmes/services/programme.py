"""Writes for a programme and its foundations: the programme itself, theory of change,
learning objectives (the programme's and each peer's), the checklist, cohorts and working groups."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from peerlearn.roles import Role, forget_roles
from peerlearn.users.models import User

from ..models import (
    ChecklistAnswer,
    Cohort,
    LearningObjective,
    Membership,
    PeerObjective,
    Programme,
    TheoryOfChange,
    WorkingGroup,
)
from .errors import StageOneError

MAX_OBJECTIVES_ADVISED = 5


@transaction.atomic
def create_programme(*, created_by: User, name: str, **fields: Any) -> Programme:
    """Create a programme; its creator becomes its first facilitator."""
    programme = Programme.objects.create(name=name, created_by=created_by, **fields)
    Membership.objects.create(user=created_by, programme=programme, role=Role.FACILITATOR)
    forget_roles(created_by)
    return programme


@transaction.atomic
def update_programme(*, programme: Programme, **fields: Any) -> Programme:
    """Change the programme's details, checked like a new programme (who created it is kept,
    and may be empty when that account was deleted)."""
    for name, value in fields.items():
        setattr(programme, name, value)
    programme.full_clean(exclude=["created_by"])
    programme.save()
    return programme


@transaction.atomic
def save_theory_of_change(
    *,
    programme: Programme,
    user: User,
    focal_point: str,
    influential_variables: str = "",
    assumptions: str = "",
) -> TheoryOfChange:
    theory, _created = TheoryOfChange.objects.update_or_create(
        programme=programme,
        defaults={
            "focal_point": focal_point.strip(),
            "influential_variables": influential_variables.strip(),
            "assumptions": assumptions.strip(),
            "updated_by": user,
        },
    )
    return theory


@transaction.atomic
def add_learning_objective(*, programme: Programme, text: str, goal_type: str) -> LearningObjective:
    """Add an objective at the end of the list; past five it is still saved (the page warns)."""
    last = programme.learning_objectives.order_by("-position").first()
    return LearningObjective.objects.create(
        programme=programme,
        text=text.strip(),
        goal_type=goal_type,
        position=(last.position + 1) if last else 1,
    )


@transaction.atomic
def delete_learning_objective(*, objective: LearningObjective) -> None:
    objective.delete()


@transaction.atomic
def save_checklist_answers(*, programme: Programme, user: User, answers: dict[str, str]) -> int:
    """Store the checklist answers given (by question key); an empty answer is kept empty."""
    from ..checklist import QUESTION_KEYS

    unknown = set(answers) - QUESTION_KEYS
    if unknown:
        raise StageOneError(_("Unknown checklist questions: %(keys)s") % {"keys": sorted(unknown)})
    for key, answer in answers.items():
        ChecklistAnswer.objects.update_or_create(
            programme=programme,
            question_key=key,
            defaults={"answer": answer.strip(), "updated_by": user},
        )
    return len(answers)


@transaction.atomic
def add_cohort(
    *,
    programme: Programme,
    name: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Cohort:
    name = name.strip()
    exists = StageOneError(
        _("There is already a cohort called “%(name)s”.") % {"name": name}, field="name"
    )
    if programme.cohorts.filter(name__iexact=name).exists():
        raise exists
    try:
        with transaction.atomic():
            return Cohort.objects.create(
                programme=programme, name=name, starts_on=starts_on, ends_on=ends_on
            )
    except IntegrityError:
        # Someone added it at the same moment.
        raise exists from None


@transaction.atomic
def add_working_group(
    *, cohort: Cohort, name: str, component: str = "", members: Any = ()
) -> WorkingGroup:
    name = name.strip()
    exists = StageOneError(
        _("There is already a working group called “%(name)s” in this cohort.") % {"name": name}
    )
    if cohort.working_groups.filter(name__iexact=name).exists():
        raise exists
    members = list(members)
    outside = [m for m in members if m.cohort_id != cohort.pk or m.role != Role.PEER]
    if outside:
        raise StageOneError(_("Only peers of this cohort can join its working groups."))
    try:
        with transaction.atomic():
            group = WorkingGroup.objects.create(
                cohort=cohort, name=name, component=component.strip()
            )
    except IntegrityError:
        raise exists from None
    group.members.set(members)
    return group


@transaction.atomic
def add_peer_objective(*, membership: Membership, text: str, goal_type: str = "") -> PeerObjective:
    return PeerObjective.objects.create(
        membership=membership, text=text.strip(), goal_type=goal_type
    )


@transaction.atomic
def delete_peer_objective(*, objective: PeerObjective) -> None:
    objective.delete()
