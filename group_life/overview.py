"""Reads over all of a programme's published groups at once: how far each has come and which
raise a risk flag. Each is one annotated queryset, so the database does the counting and a page
of groups (or every flag of a programme) costs the same few queries whatever the number of
groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from matching import selectors as matching
from peerlearn.queries import SubqueryCount
from peerlearn.visibility import Visibility
from programmes import selectors as programmes

from .discussions.models import Post
from .models import (
    BlindSideNote,
    EndProduct,
    GroupMeeting,
    GroupWorkspace,
    PairRequest,
    ProblemDraft,
    ReflectionEntry,
)

if TYPE_CHECKING:
    from matching.models import Group
    from programmes.models import Programme

NO_CONTACT = "group-no-contact"
MEETS_WITHOUT_CONTRIBUTIONS = "group-meets-without-contributions"
PAIR_NO_CONTACT = "pair-no-contact"
GROUP_FLAGS = (NO_CONTACT, MEETS_WITHOUT_CONTRIBUTIONS)


@dataclass
class GroupProgress:
    group: Group
    distilled: bool
    meetings: int
    product: bool
    reflections: int
    steps: int = 0


def with_progress(groups: QuerySet[Group]) -> QuerySet[Group]:
    """``groups`` with their progress counted, most advanced first: the problem distilled,
    meetings held, an end product, reflections shared beyond their author (private entries are
    not even counted). Never the content of a draft, a product or a reflection."""
    members = matching.member_user_ids_of(OuterRef(OuterRef("pk")))
    shared = (
        ReflectionEntry.objects.filter(
            programme_id=OuterRef("run__cohort__programme_id"), author_id__in=members
        )
        .exclude(visibility=Visibility.PRIVATE)
        .values("pk")
    )

    def step(name: str) -> Case:
        return Case(
            When(**{name: True}, then=Value(1)), default=Value(0), output_field=IntegerField()
        )

    return (
        groups.annotate(
            is_distilled=Exists(
                GroupWorkspace.objects.filter(group=OuterRef("pk"), distilled__isnull=False)
            ),
            meetings_held=SubqueryCount(
                GroupMeeting.objects.filter(group=OuterRef("pk")).values("pk")
            ),
            has_product=Exists(EndProduct.objects.filter(group=OuterRef("pk"))),
            reflections_shared=SubqueryCount(shared),
        )
        .annotate(
            has_met=Case(
                When(meetings_held__gt=0, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            has_reflected=Case(
                When(reflections_shared__gt=0, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .annotate(
            steps=step("is_distilled")
            + step("has_met")
            + step("has_product")
            + step("has_reflected")
        )
        .order_by("-steps", "-meetings_held", "label", "pk")
    )


def progress_rows(groups: Any) -> list[GroupProgress]:
    """The progress of groups read through :func:`with_progress` (a page of them)."""
    return [
        GroupProgress(
            group,
            bool(group.is_distilled),
            int(group.meetings_held),
            bool(group.has_product),
            int(group.reflections_shared),
            int(group.steps),
        )
        for group in groups
    ]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def with_flags(programme: Programme, since: date) -> QuerySet[Group]:
    """The programme's published groups of two or more members, each with whether it raises
    each group flag as of ``since`` (the start of the no-contact window):

    * ``no_contact``: no contact logged between two of its members since ``since`` (counted from
      publication when there was never one);
    * ``meets_without``: it logged a meeting since ``since`` but its members logged no contact,
      draft, Blind Side note, shared reflection (a private one is not counted: staff read the
      flag) or message in the group's discussions.
    """
    members = matching.member_user_ids_of(OuterRef(OuterRef("pk")))
    last_contact = (
        programmes.contacts_among(programme, members)
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    # Contacts logged by a member, or with one: two lookups, each on its own index (one test
    # of "by or with" reads every contact of the programme for each group).
    recent = programmes.all_contacts().filter(programme=programme, occurred_on__gte=since)
    contributed = (
        Exists(recent.filter(logged_by_id__in=members))
        | Exists(recent.filter(with_user_id__in=members))
        | Exists(ProblemDraft.objects.filter(group=OuterRef("pk"), created_at__date__gte=since))
        | Exists(BlindSideNote.objects.filter(group=OuterRef("pk"), created_at__date__gte=since))
        | Exists(
            ReflectionEntry.objects.filter(
                programme=programme, author_id__in=members, created_at__date__gte=since
            ).exclude(visibility=Visibility.PRIVATE)
        )
        | Exists(Post.objects.filter(thread__group=OuterRef("pk"), created_at__date__gte=since))
    )
    met = Exists(GroupMeeting.objects.filter(group=OuterRef("pk"), held_on__gte=since))
    return (
        matching.published_groups(programme, with_members=False)
        .annotate(
            member_count=SubqueryCount(matching.member_user_ids_of(OuterRef("pk"))),
            last_contact=Subquery(last_contact),
        )
        .filter(member_count__gte=2)
        .annotate(
            no_contact=Case(
                When(
                    Q(last_contact__lt=since)
                    | Q(last_contact__isnull=True, run__published_at__lt=_start_of(since)),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
            meets_without=Case(
                When(met & ~contributed, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )


def flagged_groups(programme: Programme, code: str, since: date) -> QuerySet[Group]:
    """The published groups that raise the group flag ``code``."""
    field = {NO_CONTACT: "no_contact", MEETS_WITHOUT_CONTRIBUTIONS: "meets_without"}[code]
    return with_flags(programme, since).filter(**{field: True})


def pairs_without_contact(programme: Programme, since: date) -> QuerySet[PairRequest]:
    """Accepted pairs with no contact logged between the two since ``since`` (counted from the
    day the pair was accepted when there was never one)."""
    between = (
        programmes.all_contacts()
        .filter(programme=programme)
        .filter(
            Q(logged_by=OuterRef("requested_by"), with_user=OuterRef("requested_of"))
            | Q(logged_by=OuterRef("requested_of"), with_user=OuterRef("requested_by"))
        )
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    return (
        PairRequest.objects.filter(programme=programme, status=PairRequest.Status.ACCEPTED)
        .annotate(last_contact=Subquery(between))
        .filter(
            Q(last_contact__lt=since)
            | Q(last_contact__isnull=True, decided_at__lt=_start_of(since))
        )
        .select_related("requested_by", "requested_of")
    )
