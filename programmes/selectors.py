"""Reads for programmes, always scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from peerlearn import tokens
from peerlearn.progress import INTAKE, people_at_step
from peerlearn.roles import Role, roles_in

from .models import (
    Activity,
    Attendance,
    CalendarFeed,
    ChecklistAnswer,
    Cohort,
    Contact,
    ContractSignature,
    ContractTemplate,
    Invitation,
    KnowledgeProduct,
    Membership,
    Nomination,
    Organisation,
    PeerImport,
    Programme,
    SponsorCommitment,
    WorkingGroup,
)


def programmes_for(user: Any) -> QuerySet[Programme]:
    """Programmes the user holds a role in (every programme for a site admin)."""
    if not user.is_authenticated:
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(memberships__user=user).distinct()


def get_programme(pk: int) -> Programme:
    """The programme with this id, for background jobs (no user to scope by)."""
    return Programme.objects.get(pk=pk)


def get_programme_for(user: Any, pk: int) -> Programme:
    """The programme with this id, or 404 when it does not exist *or* the user has no role."""
    return get_object_or_404(programmes_for(user), pk=pk)


def memberships_visible_to(user: Any, programme: Programme) -> QuerySet[Membership]:
    """Who the user may see in a programme.

    Facilitators, managers and site admins see everyone; a sponsor sees the programme's staff and
    their own organisation's people; a peer sees the staff and the peers of their own cohort(s).
    """
    base = Membership.objects.filter(programme=programme).select_related(
        "user", "organisation", "cohort"
    )
    roles = roles_in(user, programme)
    if user.is_superuser or Role.FACILITATOR in roles or Role.MANAGER in roles:
        return base
    staff = base.filter(role__in=[Role.FACILITATOR, Role.MANAGER])
    if Role.SPONSOR in roles:
        organisations = Membership.objects.filter(
            user=user, programme=programme, role=Role.SPONSOR
        ).values("organisation")
        return staff | base.filter(organisation__in=organisations)
    if Role.PEER in roles:
        cohorts = Membership.objects.filter(
            user=user, programme=programme, role=Role.PEER, cohort__isnull=False
        ).values("cohort")
        return staff | base.filter(role=Role.PEER, cohort__in=cohorts) | base.filter(user=user)
    return base.none()


def share_a_cohort(programme_id: int, user_id: int, other_user_id: int) -> bool:
    """Both people are peers of one cohort of the programme (or they are the same person)."""
    if user_id == other_user_id:
        return True
    cohorts = Membership.objects.filter(
        user_id=user_id, programme_id=programme_id, role=Role.PEER, cohort__isnull=False
    ).values("cohort")
    return Membership.objects.filter(
        user_id=other_user_id, programme_id=programme_id, role=Role.PEER, cohort__in=cohorts
    ).exists()


def roles_by_programme(user: Any) -> dict[int, list[str]]:
    """``{programme_id: [role labels]}`` for the user's own programme list, in one query."""
    result: dict[int, list[str]] = {}
    rows = Membership.objects.filter(user=user).values_list("programme_id", "role")
    labels = dict(Role.choices)
    for programme_id, role in rows:
        result.setdefault(programme_id, []).append(str(labels[role]))
    return result


def invitations_for(user: Any, programme: Programme) -> QuerySet[Invitation]:
    """Invitations of a programme, for the people allowed to invite."""
    if not user.has_perm("programmes.invite_people", programme):
        return Invitation.objects.none()
    return programme.invitations.select_related("organisation", "cohort", "invited_by")


def invitation_stamp(invitation: Invitation) -> int:
    """When the invitation was last (re)sent, as microseconds since the epoch: signed into its
    link so that sending the invitation again makes every earlier link stop working."""
    return (invitation.send_requested_at - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(
        microseconds=1
    )


def invitation_token(invitation: Invitation) -> str:
    return tokens.INVITATION.make(
        {"invitation": invitation.pk, "sent": invitation_stamp(invitation)}
    )


def invitation_link(token: str, *, max_age_days: int) -> tuple[Invitation | None, str]:
    """The invitation a signed link points at and the link's state: ``"valid"``, ``"invalid"``
    (tampered, expired or unknown; no invitation given) or ``"replaced"`` (a newer invitation
    was sent since this link)."""
    data = tokens.INVITATION.read(token, max_age=timedelta(days=max_age_days))
    if data is None:
        return None, "invalid"
    pk = data.get("invitation")
    if not isinstance(pk, int):
        return None, "invalid"
    invitation = (
        Invitation.objects.select_related("programme", "organisation", "cohort")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        return None, "invalid"
    sent = data.get("sent")
    if not isinstance(sent, int) or sent != invitation_stamp(invitation):
        return invitation, "replaced"
    return invitation, "valid"


def invitation_from_token(token: str, *, max_age_days: int) -> Invitation | None:
    """The invitation a signed link points at, or ``None`` when tampered, expired, unknown or
    replaced by a newer invitation."""
    invitation, state = invitation_link(token, max_age_days=max_age_days)
    return invitation if state == "valid" else None


def peers_of(programme: Programme) -> QuerySet[Membership]:
    """The programme's peer memberships (with their person, organisation and cohort)."""
    return (
        Membership.objects.filter(programme=programme, role=Role.PEER)
        .select_related("user", "organisation", "cohort")
        .order_by("user__full_name", "user__email")
    )


def contact_edges(programme: Programme) -> list[tuple[int, int, date, bool]]:
    """Every logged contact of the programme as ``(user id, user id, date, confirmed)``.

    The data of the network indicators: one tuple per logged contact, the person who logged it
    first. Contacts with someone who no longer holds a role in the programme are kept.
    """
    rows = Contact.objects.filter(programme=programme).values_list(
        "logged_by_id", "with_user_id", "occurred_on", "confirmed_at"
    )
    return [
        (a, b, occurred_on, confirmed_at is not None) for a, b, occurred_on, confirmed_at in rows
    ]


# Programme set-up


def programmes_user_may_create(user: Any) -> bool:
    """Who may create a programme: site admins, staff, and anyone who facilitates one already."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return Membership.objects.filter(user=user, role=Role.FACILITATOR).exists()


def theory_of_change(programme: Programme) -> Any:
    from .models import TheoryOfChange

    return TheoryOfChange.objects.filter(programme=programme).first()


def checklist_with_answers(programme: Programme) -> list[dict[str, Any]]:
    """The Annex 5 checklist, part by part, each question with the programme's answer."""
    from .checklist import CHECKLIST

    answers = dict(
        ChecklistAnswer.objects.filter(programme=programme).values_list("question_key", "answer")
    )
    return [
        {
            "key": part.key,
            "title": part.title,
            "questions": [
                {"key": q.key, "text": q.text, "answer": answers.get(q.key, "")}
                for q in part.questions
            ],
        }
        for part in CHECKLIST
    ]


def checklist_answered_count(programme: Programme) -> int:
    return ChecklistAnswer.objects.filter(programme=programme).exclude(answer="").count()


def contract_template(programme: Programme) -> ContractTemplate:
    """The programme's contract, or (unsaved) the default clauses."""
    from .checklist import DEFAULT_CONTRACT

    template = ContractTemplate.objects.filter(programme=programme).first()
    if template is None:
        template = ContractTemplate(
            programme=programme, **{key: str(text) for key, text in DEFAULT_CONTRACT.items()}
        )
    return template


CLAUSE_FIELDS = (
    "working_together",
    "attending_meetings",
    "communicating",
    "applying_at_home",
    "sharing_forward",
)


CLAUSE_TITLES: dict[str, Any] = {
    "working_together": _("Working together"),
    "attending_meetings": _("Attending peer meetings"),
    "communicating": _("Communicating regularly"),
    "applying_at_home": _("Applying lessons at home"),
    "sharing_forward": _("Sharing forward (optional)"),
}


def contract_clauses(programme: Programme) -> list[tuple[str, Any, str]]:
    """``(key, title, text)`` for each clause of the programme's contract (empty ones left out)."""
    template = contract_template(programme)
    result = []
    for key in CLAUSE_FIELDS:
        text = getattr(template, key)
        if text:
            result.append((key, CLAUSE_TITLES[key], text))
    return result


def contract_signatures_visible_to(user: Any, programme: Programme) -> QuerySet[ContractSignature]:
    """Signatures of the peers whose memberships ``user`` may see."""
    visible = memberships_visible_to(user, programme).filter(role=Role.PEER)
    return ContractSignature.objects.filter(membership__in=visible).select_related(
        "membership__user", "membership__organisation"
    )


def contract_signatures_of(programme: Programme) -> QuerySet[ContractSignature]:
    return ContractSignature.objects.filter(membership__programme=programme).select_related(
        "membership__user", "membership__organisation"
    )


def my_peer_membership(user: Any, programme: Programme) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, programme=programme, role=Role.PEER)
        .select_related("organisation", "cohort")
        .first()
    )


def sponsored_organisations(user: Any, programme: Programme) -> QuerySet[Organisation]:
    """The organisations the user is a sponsor of in this programme."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user,
        memberships__programme=programme,
        memberships__role=Role.SPONSOR,
    ).distinct()


def member_organisation(user: Any, programme: Programme) -> Organisation | None:
    """The organisation ``user`` represents in ``programme`` (any of their roles), if any."""
    membership = (
        Membership.objects.filter(user=user, programme=programme, organisation__isnull=False)
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


def member_cohort_id(user: Any, programme: Programme) -> int | None:
    """The id of the cohort ``user`` belongs to in ``programme``, if any."""
    return (
        Membership.objects.filter(user=user, programme=programme)
        .exclude(cohort=None)
        .values_list("cohort", flat=True)
        .first()
    )


def organisations_of(programme: Programme) -> QuerySet[Organisation]:
    """Organisations with someone in the programme, nominated, or invited to it."""
    return Organisation.objects.filter(
        Q(memberships__programme=programme)
        | Q(nominations__programme=programme)
        | Q(pk__in=Invitation.objects.filter(programme=programme).values("organisation"))
    ).distinct()


def organisations_visible_to(user: Any, programme: Programme) -> QuerySet[Organisation]:
    """Facilitators, managers and admins see every organisation of the programme; a sponsor
    sees their own; a peer sees the organisations of the people they may see."""
    roles = roles_in(user, programme)
    if user.is_superuser or Role.FACILITATOR in roles or Role.MANAGER in roles:
        return organisations_of(programme)
    if Role.SPONSOR in roles:
        return sponsored_organisations(user, programme)
    visible = memberships_visible_to(user, programme).values("organisation")
    return Organisation.objects.filter(pk__in=visible)


def nominations_visible_to(user: Any, programme: Programme) -> QuerySet[Nomination]:
    base = Nomination.objects.filter(programme=programme).select_related("organisation")
    roles = roles_in(user, programme)
    if user.is_superuser or Role.FACILITATOR in roles or Role.MANAGER in roles:
        return base
    if Role.SPONSOR in roles:
        return base.filter(organisation__in=sponsored_organisations(user, programme))
    return base.none()


def sponsor_commitment(programme: Programme, organisation: Organisation) -> SponsorCommitment:
    commitment = SponsorCommitment.objects.filter(
        programme=programme, organisation=organisation
    ).first()
    return commitment or SponsorCommitment(programme=programme, organisation=organisation)


# Where each peer stands


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


def peer_standings(user: Any, programme: Programme) -> list[PeerStanding]:
    """Every peer and invited peer the user may see, with how far each has come."""
    roles = roles_in(user, programme)
    full = user.is_superuser or Role.FACILITATOR in roles or Role.MANAGER in roles
    if not full and Role.SPONSOR not in roles:
        return []
    organisations = None if full else set(sponsored_organisations(user, programme))
    memberships = peers_of(programme)
    invitations = Invitation.objects.filter(programme=programme, role=Role.PEER).select_related(
        "organisation", "cohort"
    )
    nominations = {
        n.email.lower(): n
        for n in Nomination.objects.filter(programme=programme).select_related("organisation")
    }
    signed = set(
        ContractSignature.objects.filter(membership__programme=programme).values_list(
            "membership_id", flat=True
        )
    )
    intake = people_at_step(INTAKE, programme)
    by_email: dict[str, PeerStanding] = {}
    for membership in memberships:
        email = membership.user.email.lower()
        by_email[email] = PeerStanding(
            email=membership.user.email,
            full_name=membership.user.full_name,
            organisation=membership.organisation,
            cohort=membership.cohort.name if membership.cohort else "",
            membership=membership,
            nomination=nominations.get(email),
            intake_done=membership.user_id in intake,
            contract_signed=membership.pk in signed,
        )
    for invitation in invitations:
        email = invitation.email.lower()
        if email in by_email:
            by_email[email].invitation = invitation
            continue
        if invitation.status == Invitation.Status.ACCEPTED:
            continue
        by_email[email] = PeerStanding(
            email=invitation.email,
            full_name=invitation.full_name,
            organisation=invitation.organisation,
            cohort=invitation.cohort.name if invitation.cohort else "",
            invitation=invitation,
            nomination=nominations.get(email),
        )
    for email, nomination in nominations.items():
        if email not in by_email:
            by_email[email] = PeerStanding(
                email=nomination.email,
                full_name=nomination.full_name,
                organisation=nomination.organisation,
                cohort="",
                nomination=nomination,
            )
    standings = sorted(by_email.values(), key=lambda s: (s.full_name.lower(), s.email))
    if organisations is not None:
        standings = [s for s in standings if s.organisation in organisations]
    return standings


def peer_import_for(user: Any, programme: Programme, pk: int) -> PeerImport:
    """A previewed import, only for the person who uploaded it (404 otherwise)."""
    return get_object_or_404(
        PeerImport.objects.filter(programme=programme, uploaded_by=user), pk=pk
    )


# Activities, attendance, contacts, library


def activities_for(user: Any, programme: Programme) -> QuerySet[Activity]:
    """Activities the user may see: all for staff; for a peer, programme-wide ones and those of
    their cohort; for a sponsor, programme-wide ones."""
    base = Activity.objects.filter(programme=programme).select_related(
        "cohort", "host_organisation", "working_group"
    )
    roles = roles_in(user, programme)
    if user.is_superuser or Role.FACILITATOR in roles or Role.MANAGER in roles:
        return base
    if Role.PEER in roles:
        cohorts = Membership.objects.filter(user=user, programme=programme, role=Role.PEER).values(
            "cohort"
        )
        return base.filter(Q(cohort__isnull=True) | Q(cohort__in=cohorts))
    if roles:
        return base.filter(cohort__isnull=True)
    return base.none()


def get_activity_for(user: Any, programme: Programme, pk: int) -> Activity:
    return get_object_or_404(activities_for(user, programme), pk=pk)


def attendees_of(activity: Activity) -> QuerySet[Membership]:
    """The peers expected at an activity (its cohort, or the whole programme)."""
    peers = peers_of(activity.programme)
    if activity.cohort_id:
        peers = peers.filter(cohort_id=activity.cohort_id)
    return peers


def attendance_by_membership(activity: Activity) -> dict[int, bool]:
    return dict(
        Attendance.objects.filter(activity=activity).values_list("membership_id", "present")
    )


def present_at(activity: Activity, membership: Membership) -> Attendance | None:
    """The record of ``membership`` being present at ``activity``, if it is recorded."""
    return Attendance.objects.filter(activity=activity, membership=membership, present=True).first()


def upcoming_activities_of_user(user: Any) -> QuerySet[Activity]:
    """Every activity of every programme the person may see (for the calendar feed)."""
    memberships = Membership.objects.filter(user=user)
    staff_programmes = memberships.filter(role__in=[Role.FACILITATOR, Role.MANAGER]).values(
        "programme"
    )
    peer_cohorts = memberships.filter(role=Role.PEER, cohort__isnull=False).values("cohort")
    member_programmes = memberships.values("programme")
    return (
        Activity.objects.filter(
            Q(programme__in=staff_programmes)
            | Q(programme__in=member_programmes, cohort__isnull=True)
            | Q(cohort__in=peer_cohorts)
        )
        .select_related("programme", "cohort")
        .distinct()
    )


def feed_owner(token: str) -> Any:
    """The person a calendar token belongs to, or ``None`` for an unknown or altered token."""
    if not token or len(token) > 64:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def contacts_for(user: Any, programme: Programme) -> QuerySet[Contact]:
    """Facilitators and managers see the programme's contacts; a peer sees their own."""
    base = Contact.objects.filter(programme=programme).select_related("logged_by", "with_user")
    roles = roles_in(user, programme)
    if user.is_superuser or Role.FACILITATOR in roles or Role.MANAGER in roles:
        return base
    return base.filter(Q(logged_by=user) | Q(with_user=user))


def get_contact_for(user: Any, programme: Programme, pk: int) -> Contact:
    return get_object_or_404(contacts_for(user, programme), pk=pk)


def contact_partners(user: Any, programme: Programme) -> QuerySet[Any]:
    """People the user may log a contact with: the other members they may see."""
    from peerlearn.users.models import User

    visible = memberships_visible_to(user, programme).values("user")
    return User.objects.filter(pk__in=visible).exclude(pk=user.pk).order_by("full_name", "email")


def knowledge_products_for(
    user: Any, programme: Programme, *, tag: str = ""
) -> QuerySet[KnowledgeProduct]:
    if not user.has_perm("programmes.view_knowledge", programme):
        return KnowledgeProduct.objects.none()
    products = (
        KnowledgeProduct.objects.filter(programme=programme)
        .select_related("added_by")
        .prefetch_related("tags")
    )
    if tag:
        products = products.filter(tags__name=tag.lower())
    return products


def get_knowledge_product_for(user: Any, programme: Programme, pk: int) -> KnowledgeProduct:
    return get_object_or_404(knowledge_products_for(user, programme), pk=pk)


# For later stages: contacts, attendance and memberships of given people.


def programme_ids_where(user: Any, role: str) -> QuerySet[Any, Any]:
    """The ids of the programmes in which ``user`` holds ``role`` (a subquery)."""
    return Membership.objects.filter(user=user, role=role).values("programme")


def contacts_among(programme: Programme, user_ids: Any) -> QuerySet[Contact]:
    """Contacts of the programme logged between two of the people."""
    return Contact.objects.filter(
        programme=programme, logged_by_id__in=user_ids, with_user_id__in=user_ids
    ).select_related("logged_by", "with_user")


def contacts_involving(programme: Programme, user_ids: Any) -> QuerySet[Contact]:
    """Contacts of the programme logged by or with one of the people."""
    return Contact.objects.filter(programme=programme).filter(
        Q(logged_by_id__in=user_ids) | Q(with_user_id__in=user_ids)
    )


def attendance_of_people(programme: Programme, user_ids: Any) -> QuerySet[Attendance]:
    """Activities of the programme the people attended, latest first."""
    return (
        Attendance.objects.filter(
            activity__programme=programme, membership__user_id__in=user_ids, present=True
        )
        .select_related("activity", "membership__user")
        .order_by("-activity__starts_at")
    )


def working_groups_of(cohort: Cohort) -> QuerySet[WorkingGroup]:
    """The working groups of a cohort, by name."""
    return WorkingGroup.objects.filter(cohort=cohort).order_by("name")


def cohort_mates(user: Any, programme: Programme) -> QuerySet[Membership]:
    """The other peers of the user's cohort(s) in the programme."""
    cohorts = Membership.objects.filter(user=user, programme=programme, role=Role.PEER).values(
        "cohort"
    )
    return (
        Membership.objects.filter(programme=programme, role=Role.PEER, cohort__in=cohorts)
        .exclude(user=user)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


# Unscoped reads for the selectors, jobs and indicators of later stages, which never import
# this app's models. Callers scope them (by programme, person or cohort) themselves.


def all_programmes() -> QuerySet[Programme]:
    return Programme.objects.all()


def all_cohorts() -> QuerySet[Cohort]:
    return Cohort.objects.all()


def all_memberships() -> QuerySet[Membership]:
    return Membership.objects.all()


def all_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.all()


def all_activities() -> QuerySet[Activity]:
    return Activity.objects.all()


def all_attendances() -> QuerySet[Attendance]:
    return Attendance.objects.all()


def all_contacts() -> QuerySet[Contact]:
    return Contact.objects.all()
