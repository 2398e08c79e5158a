"""Where each peer stands in stage 1 (invited, joined, intake done, contract signed, authorised),
one page at a time.

A person appears once, keyed by email, from the first of three sources that knows them: their
peer membership, else their invitation (not yet accepted), else their organisation's
nomination. The three are one ``UNION ALL`` query, filtered and ordered in the database, so a
page of standings costs the same handful of queries with fifty peers or fifty thousand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from peerlearn import freshness
from peerlearn.progress import INTAKE, people_at_step_query
from peerlearn.roles import Role, roles_in

from .models import (
    ContractSignature,
    Invitation,
    Membership,
    Nomination,
    Organisation,
    Programme,
)

TOTALS_TIMEOUT = 60 * 60 * 24

STATUSES = (
    ("invited", _("Invited")),
    ("expired", _("Invitation expired")),
    ("joined", _("Joined")),
    ("intake", _("Intake done")),
    ("contract", _("Contract signed")),
)


@dataclass
class PeerStanding:
    """Where one peer (or invited person) stands in stage 1."""

    email: str
    full_name: str
    organisation: Organisation | None
    cohort: str
    invitation: Invitation | None = None
    membership: Membership | None = None
    nomination: Nomination | None = None
    intake_done: bool = False
    contract_signed: bool = False
    steps: list[str] = field(default_factory=list)

    @property
    def joined(self) -> bool:
        return self.membership is not None

    @property
    def invited(self) -> bool:
        return self.invitation is not None or self.membership is not None

    @property
    def authorised(self) -> bool:
        return self.nomination is not None and self.nomination.is_authorised

    @property
    def status(self) -> str:
        """The furthest step reached: invited → joined → intake done → contract signed."""
        if self.membership is None:
            if self.invitation is not None and self.invitation.status == "expired":
                return "expired"
            return "invited"
        if self.contract_signed:
            return "contract"
        if self.intake_done:
            return "intake"
        return "joined"


def may_see_standings(user: Any, programme: Programme) -> bool:
    roles = roles_in(user, programme)
    return bool(user.is_superuser or roles & {Role.FACILITATOR, Role.MANAGER, Role.SPONSOR})


def _scope(user: Any, programme: Programme) -> QuerySet[Organisation] | None:
    """``None`` for those who see every peer; a sponsor's organisations for a sponsor."""
    roles = roles_in(user, programme)
    if user.is_superuser or Role.FACILITATOR in roles or Role.MANAGER in roles:
        return None
    return Organisation.objects.filter(
        memberships__user=user, memberships__programme=programme, memberships__role=Role.SPONSOR
    )


def _authorised(programme: Programme) -> Exists:
    return Exists(
        Nomination.objects.filter(programme=programme, authorised_at__isnull=False)
        .annotate(lowered=Lower("email"))
        .filter(lowered=OuterRef("key"))
    )


def _parts(
    user: Any, programme: Programme
) -> tuple[QuerySet[Membership], QuerySet[Invitation], QuerySet[Nomination]]:
    """The three sources, each annotated with the columns of a standing row, unfiltered."""
    member_keys = (
        Membership.objects.filter(programme=programme, role=Role.PEER)
        .annotate(key=Lower("user__email"))
        .values("key")
    )
    open_invitations = Invitation.objects.filter(programme=programme, role=Role.PEER).exclude(
        status=Invitation.Status.ACCEPTED
    )
    members = (
        Membership.objects.filter(programme=programme, role=Role.PEER)
        .annotate(
            key=Lower("user__email"), sort=Lower("user__full_name"), src=Value("m", CharField())
        )
        .order_by()
    )
    invitations = (
        open_invitations.annotate(key=Lower("email"))
        .exclude(key__in=member_keys)
        .annotate(sort=Lower("full_name"), src=Value("i", CharField()))
        .order_by()
    )
    nominations = (
        Nomination.objects.filter(programme=programme)
        .annotate(key=Lower("email"))
        .exclude(key__in=member_keys)
        .exclude(key__in=open_invitations.annotate(key=Lower("email")).values("key"))
        .annotate(sort=Lower("full_name"), src=Value("n", CharField()))
        .order_by()
    )
    scope = _scope(user, programme)
    if scope is not None:
        members = members.filter(organisation__in=scope)
        invitations = invitations.filter(organisation__in=scope)
        nominations = nominations.filter(organisation__in=scope)
    return members, invitations, nominations


def standing_rows(
    user: Any,
    programme: Programme,
    *,
    q: str = "",
    cohort: Any = None,
    organisation: Any = None,
    status: str = "",
    authorised: str = "",
) -> QuerySet[Any]:
    """The people ``user`` may see in stage 1, filtered, ordered by name: rows of
    ``(key, sort, name, organisation id, cohort id, source)``, for :func:`standings_for`.

    ``status`` is one of :data:`STATUSES`; ``authorised`` is ``"yes"`` or ``"no"``.
    """
    if not may_see_standings(user, programme):
        return Membership.objects.none().values_list("pk")
    members, invitations, nominations = _parts(user, programme)
    if q:
        members = members.filter(Q(user__full_name__icontains=q) | Q(user__email__icontains=q))
        invitations = invitations.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
        nominations = nominations.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    if cohort is not None:
        members = members.filter(cohort=cohort)
        invitations = invitations.filter(cohort=cohort)
        nominations = nominations.none()
    if organisation is not None:
        members = members.filter(organisation=organisation)
        invitations = invitations.filter(organisation=organisation)
        nominations = nominations.filter(organisation=organisation)
    if status:
        intake = people_at_step_query(INTAKE, programme)
        signed = Exists(ContractSignature.objects.filter(membership=OuterRef("pk")))
        if status in ("invited", "expired"):
            members = members.none()
            wanted = Invitation.Status.EXPIRED if status == "expired" else Invitation.Status.PENDING
            invitations = invitations.filter(status=wanted)
            if status == "expired":
                nominations = nominations.none()
        else:
            invitations = invitations.none()
            nominations = nominations.none()
            if status == "contract":
                members = members.filter(signed)
            elif status == "intake":
                members = members.filter(user_id__in=intake).exclude(signed)
            else:
                members = members.exclude(signed).exclude(user_id__in=intake)
    if authorised in ("yes", "no"):
        check: Any = _authorised(programme)
        if authorised == "no":
            check = ~check
        members = members.filter(check)
        invitations = invitations.filter(check)
        nominations = nominations.filter(check)
    parts = [
        members.values_list(  # type: ignore[misc]
            "key",
            "sort",
            "user__full_name",
            "organisation_id",
            "cohort_id",
            "src",
        ),
        invitations.values_list(  # type: ignore[misc]
            "key", "sort", "full_name", "organisation_id", "cohort_id", "src"
        ),
        nominations.annotate(no_cohort=Value(None, IntegerField())).values_list(
            "key", "sort", "full_name", "organisation_id", "no_cohort", "src"
        ),
    ]
    return parts[0].union(parts[1], parts[2], all=True).order_by("sort", "key")


def standings_for(programme: Programme, rows: Any) -> list[PeerStanding]:
    """The standings of ``rows`` (a page of :func:`standing_rows`), in the same order: a fixed
    number of queries for the page."""
    rows = list(rows)
    keys = [row[0] for row in rows]
    memberships = {
        m.key: m
        for m in Membership.objects.filter(programme=programme, role=Role.PEER)
        .annotate(key=Lower("user__email"))
        .filter(key__in=[row[0] for row in rows if row[5] == "m"])
        .select_related("user", "organisation", "cohort")
    }
    invitations = {
        i.key: i
        for i in Invitation.objects.filter(programme=programme, role=Role.PEER)
        .annotate(key=Lower("email"))
        .filter(key__in=keys)
        .select_related("organisation", "cohort")
        .order_by("created_at")
    }
    nominations = {
        n.key: n
        for n in Nomination.objects.filter(programme=programme)
        .annotate(key=Lower("email"))
        .filter(key__in=keys)
        .select_related("organisation")
    }
    member_ids = [m.pk for m in memberships.values()]
    signed = set(
        ContractSignature.objects.filter(membership_id__in=member_ids).values_list(
            "membership_id", flat=True
        )
    )
    intake = set(
        Membership.objects.filter(
            pk__in=member_ids, user_id__in=people_at_step_query(INTAKE, programme)
        ).values_list("user_id", flat=True)
    )
    standings = []
    for key, _sort, _name, _org, _cohort, source in rows:
        membership = memberships.get(key) if source == "m" else None
        invitation = invitations.get(key)
        nomination = nominations.get(key)
        if membership is not None:
            standing = PeerStanding(
                email=membership.user.email,
                full_name=membership.user.full_name,
                organisation=membership.organisation,
                cohort=membership.cohort.name if membership.cohort else "",
                membership=membership,
                invitation=invitation,
                nomination=nomination,
                intake_done=membership.user_id in intake,
                contract_signed=membership.pk in signed,
            )
        elif source == "i" and invitation is not None:
            standing = PeerStanding(
                email=invitation.email,
                full_name=invitation.full_name,
                organisation=invitation.organisation,
                cohort=invitation.cohort.name if invitation.cohort else "",
                invitation=invitation,
                nomination=nomination,
            )
        elif nomination is not None:
            standing = PeerStanding(
                email=nomination.email,
                full_name=nomination.full_name,
                organisation=nomination.organisation,
                cohort="",
                nomination=nomination,
            )
        else:
            continue
        standings.append(standing)
    return standings


def standing_of(user: Any, programme: Programme, email: str) -> PeerStanding | None:
    """The standing of the person with ``email``, if ``user`` may see them."""
    key = email.strip().lower()
    rows = [row for row in standing_rows(user, programme, q=key) if row[0] == key]
    found = standings_for(programme, rows[:1])
    return found[0] if found else None


def standing_totals(user: Any, programme: Programme) -> dict[str, int]:
    """How many people, and how many of them joined, did the intake, signed, are authorised:
    from the cache until the data they are counted from changes."""
    if not may_see_standings(user, programme):
        return dict.fromkeys(("people", "joined", "intake", "contract", "authorised"), 0)
    seen_by = "all" if _scope(user, programme) is None else f"sponsor-{user.pk}"
    totals: dict[str, int] = freshness.cached(
        f"programmes:standing-totals:{programme.pk}:{seen_by}",
        lambda: _count_totals(user, programme),
        TOTALS_TIMEOUT,
    )
    return totals


def _count_totals(user: Any, programme: Programme) -> dict[str, int]:
    members, _invitations, _nominations = _parts(user, programme)
    signed = Exists(ContractSignature.objects.filter(membership=OuterRef("pk")))
    counted = members.aggregate(
        joined=Count("pk"),
        intake=Count("pk", filter=Q(user_id__in=people_at_step_query(INTAKE, programme))),
        contract=Count("pk", filter=Q(signed)),
    )
    return {
        "people": standing_rows(user, programme).count(),
        "joined": counted["joined"],
        "intake": counted["intake"],
        "contract": counted["contract"],
        "authorised": standing_rows(user, programme, authorised="yes").count(),
    }


def peer_standings(user: Any, programme: Programme) -> list[PeerStanding]:
    """Every peer and invited peer the user may see, with how far each has come (all of them:
    for exports and small programmes; pages use :func:`standing_rows` with a paginator)."""
    return standings_for(programme, standing_rows(user, programme))
