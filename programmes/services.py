"""Writes for programmes: creating programmes, inviting people, accepting invitations."""

from __future__ import annotations

import calendar
import secrets
from datetime import date, datetime, timedelta
from typing import IO, Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerlearn import mail
from peerlearn.errors import ServiceError
from peerlearn.roles import Role, forget_roles
from peerlearn.users.models import User

from .models import (
    Activity,
    ActivitySeries,
    Attendance,
    CalendarFeed,
    ChecklistAnswer,
    Cohort,
    Contact,
    ContractSignature,
    ContractTemplate,
    Invitation,
    KnowledgeProduct,
    KnowledgeTag,
    LearningObjective,
    Membership,
    Nomination,
    Organisation,
    PeerImport,
    PeerObjective,
    Programme,
    SponsorCommitment,
    TheoryOfChange,
    WorkingGroup,
)
from .selectors import (
    attendees_of,
    contact_partners,
    contract_clauses,
    invitation_token,
    organisations_of,
)


class InvitationError(ServiceError):
    """An invitation cannot be accepted; the message says why in plain words."""


class StageOneError(ServiceError):
    """A stage-one action cannot be done; the message says why in plain words."""


MAX_OBJECTIVES_ADVISED = 5


@transaction.atomic
def create_programme(*, created_by: User, name: str, **fields: Any) -> Programme:
    """Create a programme; its creator becomes its first facilitator."""
    programme = Programme.objects.create(name=name, created_by=created_by, **fields)
    Membership.objects.create(user=created_by, programme=programme, role=Role.FACILITATOR)
    forget_roles(created_by)
    return programme


@transaction.atomic
def invite_person(
    *,
    programme: Programme,
    invited_by: User | None,
    email: str,
    role: str = Role.PEER,
    full_name: str = "",
    organisation: Organisation | None = None,
    cohort: Cohort | None = None,
) -> Invitation:
    """Invite someone by email to a role in a programme and queue the invitation email.

    Inviting the same address to the same role again updates the pending invitation and sends it
    again instead of creating a second one.
    """
    from .tasks import send_invitation_email

    email = email.strip().lower()
    now = timezone.now()
    invitation, created = Invitation.objects.get_or_create(
        programme=programme,
        email=email,
        role=role,
        defaults={
            "full_name": full_name,
            "organisation": organisation,
            "cohort": cohort,
            "invited_by": invited_by,
            "send_requested_at": now,
        },
    )
    if not created:
        invitation.full_name = full_name or invitation.full_name
        invitation.organisation = organisation or invitation.organisation
        invitation.cohort = cohort or invitation.cohort
        invitation.invited_by = invited_by or invitation.invited_by
        if invitation.status == Invitation.Status.EXPIRED:
            invitation.status = Invitation.Status.PENDING
        invitation.send_requested_at = now
        invitation.save()
    if invitation.status == Invitation.Status.PENDING:
        pk = invitation.pk
        transaction.on_commit(lambda: send_invitation_email.delay(pk))
    return invitation


def invitation_url(invitation: Invitation) -> str:
    return mail.absolute_url(
        reverse("invitation_accept", kwargs={"token": invitation_token(invitation)})
    )


def send_invitation_email(*, invitation_id: int) -> bool:
    """Send the invitation email if it has not gone out since it was last requested.

    Idempotent: returns ``False`` and sends nothing when there is nothing to send.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("programme", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or not invitation.needs_sending:
            return False
        context = {
            "invitation": invitation,
            "programme": invitation.programme,
            "url": invitation_url(invitation),
            "valid_days": settings.INVITATION_VALID_DAYS,
        }
        mail.send_email(
            to=invitation.email,
            subject=gettext_lazy("You are invited to %(programme)s on PeerLearn"),
            subject_params={"programme": invitation.programme.name},
            template="programmes/email/invitation",
            context=context,
            html=True,
        )
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True


def _check_acceptable(invitation: Invitation) -> None:
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvitationError(_("This invitation has already been used. Please log in."))
    if invitation.status == Invitation.Status.EXPIRED:
        raise InvitationError(
            _("This invitation has expired. Ask your facilitator to send a new one.")
        )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """Give ``user`` the invited role; the email address is verified by the link itself."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_acceptable(invitation)
    if user.email.lower() != invitation.email.lower():
        raise InvitationError(
            _("This invitation was sent to %(email)s. Log in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership, _created = Membership.objects.get_or_create(
        user=user,
        programme=invitation.programme,
        role=invitation.role,
        defaults={"organisation": invitation.organisation, "cohort": invitation.cohort},
    )
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["status", "accepted_at", "accepted_by"])
    forget_roles(user)
    return membership


@transaction.atomic
def register_from_invitation(
    *, invitation: Invitation, full_name: str, password: str
) -> tuple[User, Membership]:
    """Create the account of an invited person who has none yet, then accept the invitation."""
    _check_acceptable(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationError(
            _("An account with this email address exists already. Please log in to accept.")
        )
    user = User.objects.create_user(
        email=invitation.email, password=password, full_name=full_name or invitation.full_name
    )
    return user, accept_invitation(invitation=invitation, user=user)


def expire_stale_invitations(*, now: Any = None) -> int:
    """Mark pending invitations older than the validity period as expired. Returns the count."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.INVITATION_VALID_DAYS)
    return Invitation.objects.filter(
        status=Invitation.Status.PENDING, send_requested_at__lt=cutoff
    ).update(status=Invitation.Status.EXPIRED)


# Programme set-up


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
    from .checklist import QUESTION_KEYS

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
    if programme.cohorts.filter(name__iexact=name).exists():
        raise StageOneError(
            _("There is already a cohort called “%(name)s”.") % {"name": name}, field="name"
        )
    return Cohort.objects.create(
        programme=programme, name=name, starts_on=starts_on, ends_on=ends_on
    )


@transaction.atomic
def add_working_group(
    *, cohort: Cohort, name: str, component: str = "", members: Any = ()
) -> WorkingGroup:
    name = name.strip()
    if cohort.working_groups.filter(name__iexact=name).exists():
        raise StageOneError(
            _("There is already a working group called “%(name)s” in this cohort.") % {"name": name}
        )
    members = list(members)
    outside = [m for m in members if m.cohort_id != cohort.pk or m.role != Role.PEER]
    if outside:
        raise StageOneError(_("Only peers of this cohort can join its working groups."))
    group = WorkingGroup.objects.create(cohort=cohort, name=name, component=component.strip())
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


# Peer import


@transaction.atomic
def preview_peer_import(
    *,
    programme: Programme,
    uploaded_by: User,
    upload: IO[bytes] | Any,
    name: str,
    create_organisations: bool = False,
) -> PeerImport:
    """Read and check an uploaded file and keep the result for the preview. Writes no peer."""
    from .importing import parse_peer_file

    result = parse_peer_file(
        upload, name=name, programme=programme, create_organisations=create_organisations
    )
    # Older previews of the same person for the same programme are of no use any more.
    PeerImport.objects.filter(
        programme=programme, uploaded_by=uploaded_by, status=PeerImport.Status.PREVIEW
    ).delete()
    return PeerImport.objects.create(
        programme=programme,
        uploaded_by=uploaded_by,
        filename=name[:255],
        status=PeerImport.Status.PREVIEW if result.ok else PeerImport.Status.REFUSED,
        rows=result.rows_as_data(),
        problems=result.problems_as_data(),
        create_organisations=create_organisations,
    )


@transaction.atomic
def commit_peer_import(*, peer_import: PeerImport, user: User) -> dict[str, int]:
    """Write every previewed row, or none: any failure rolls the whole import back.

    New peers are invited by email; a peer already in the programme (joined or invited) is
    updated instead, so importing the same file again does not duplicate anyone.
    """
    peer_import = PeerImport.objects.select_for_update().get(pk=peer_import.pk)
    if peer_import.status != PeerImport.Status.PREVIEW:
        raise StageOneError(_("This file has already been imported or was refused."))
    programme = peer_import.programme
    counts = {"invited": 0, "updated": 0, "organisations": 0}
    cohorts = {cohort.pk: cohort for cohort in programme.cohorts.all()}
    for row in peer_import.rows:
        organisation = Organisation.objects.filter(
            name__iexact=row["organisation"], country=row["country"]
        ).first()
        if organisation is None:
            if not peer_import.create_organisations:
                raise StageOneError(
                    _("Line %(line)s: the organisation “%(name)s” no longer exists.")
                    % {"line": row["line"], "name": row["organisation"]}
                )
            organisation = Organisation.objects.create(
                name=row["organisation"], country=row["country"]
            )
            counts["organisations"] += 1
        cohort = cohorts.get(row["cohort_id"]) if row.get("cohort_id") else None
        if row.get("cohort_id") and cohort is None:
            raise StageOneError(
                _("Line %(line)s: the cohort “%(cohort)s” no longer exists.")
                % {"line": row["line"], "cohort": row["cohort"]}
            )
        email = row["email"]
        nomination = Nomination.objects.filter(programme=programme, email__iexact=email).first()
        if nomination is None:
            nomination = Nomination(programme=programme, email=email)
        elif nomination.organisation_id != organisation.pk and nomination.is_authorised:
            # Another organisation now: the old organisation's authorisation does not carry over.
            withdraw_authorisation(nomination=nomination)
        nomination.organisation = organisation
        nomination.full_name = row["full_name"] or nomination.full_name
        nomination.position = row.get("position", "") or nomination.position
        nomination.save()
        membership = Membership.objects.filter(
            programme=programme, role=Role.PEER, user__email__iexact=email
        ).first()
        invitation = Invitation.objects.filter(
            programme=programme, role=Role.PEER, email__iexact=email
        ).first()
        if membership is not None:
            membership.organisation = organisation
            membership.cohort = cohort or membership.cohort
            membership.save(update_fields=["organisation", "cohort"])
            counts["updated"] += 1
        elif invitation is not None and invitation.status == Invitation.Status.PENDING:
            invitation.full_name = row["full_name"] or invitation.full_name
            invitation.organisation = organisation
            invitation.cohort = cohort or invitation.cohort
            invitation.save(update_fields=["full_name", "organisation", "cohort"])
            counts["updated"] += 1
        else:
            invite_person(
                programme=programme,
                invited_by=user,
                email=email,
                role=Role.PEER,
                full_name=row["full_name"],
                organisation=organisation,
                cohort=cohort,
            )
            counts["invited"] += 1
    peer_import.status = PeerImport.Status.COMMITTED
    peer_import.committed_at = timezone.now()
    peer_import.save(update_fields=["status", "committed_at"])
    return counts


@transaction.atomic
def resend_invitation(*, invitation: Invitation, user: User) -> Invitation:
    """Send a pending or expired invitation again (a fresh link, valid from now)."""
    if invitation.status == Invitation.Status.ACCEPTED:
        raise StageOneError(_("%(email)s has already joined.") % {"email": invitation.email})
    return invite_person(
        programme=invitation.programme,
        invited_by=user,
        email=invitation.email,
        role=invitation.role,
        full_name=invitation.full_name,
        organisation=invitation.organisation,
        cohort=invitation.cohort,
    )


# Organisations, nominations and authorisations


@transaction.atomic
def create_organisation(*, name: str, country: str, kind: str) -> Organisation:
    name = " ".join(name.split())
    if Organisation.objects.filter(name__iexact=name, country=country).exists():
        raise StageOneError(
            _("%(name)s (%(country)s) exists already.") % {"name": name, "country": country}
        )
    return Organisation.objects.create(name=name, country=country, kind=kind)


@transaction.atomic
def nominate_peer(
    *,
    programme: Programme,
    organisation: Organisation,
    nominated_by: User,
    email: str,
    full_name: str = "",
    position: str = "",
) -> Nomination:
    """A sponsor puts someone forward: the nomination is kept and an invitation goes out."""
    email = email.strip().lower()
    existing = Nomination.objects.filter(programme=programme, email__iexact=email).first()
    if existing is not None and existing.organisation_id != organisation.pk:
        raise StageOneError(
            _("%(email)s is already nominated by another organisation.") % {"email": email}
        )
    nomination, _created = Nomination.objects.update_or_create(
        programme=programme,
        email=email,
        defaults={
            "organisation": organisation,
            "full_name": full_name.strip(),
            "position": position.strip(),
            "nominated_by": nominated_by,
        },
    )
    already_peer = Membership.objects.filter(
        programme=programme, role=Role.PEER, user__email__iexact=email
    ).exists()
    if not already_peer:
        invite_person(
            programme=programme,
            invited_by=nominated_by,
            email=email,
            role=Role.PEER,
            full_name=full_name,
            organisation=organisation,
        )
    return nomination


@transaction.atomic
def authorise_nomination(
    *, nomination: Nomination, user: User, signed_name: str, mandate: Any = None
) -> Nomination:
    """The sponsor authorises a nominee: by typing their name, or with a signed mandate PDF."""
    signed_name = " ".join(signed_name.split())
    if not signed_name:
        raise StageOneError(_("Type your full name to sign the authorisation."))
    nomination.signed_name = signed_name
    nomination.authorised_by = user
    nomination.authorised_at = timezone.now()
    if mandate is not None:
        nomination.mandate = mandate
        nomination.method = Nomination.Method.MANDATE
    else:
        nomination.method = Nomination.Method.SIGN_OFF
    nomination.save()
    return nomination


@transaction.atomic
def withdraw_authorisation(*, nomination: Nomination) -> Nomination:
    nomination.authorised_at = None
    nomination.authorised_by = None
    nomination.method = ""
    nomination.signed_name = ""
    nomination.save()
    return nomination


@transaction.atomic
def save_sponsor_commitment(
    *,
    programme: Programme,
    organisation: Organisation,
    user: User,
    learning_wants: str = "",
    reform_context: str = "",
    time_committed: str = "",
    means_committed: str = "",
    signed_name: str = "",
) -> SponsorCommitment:
    """Keep the mini-survey answers; with a typed name, the commitment is signed."""
    commitment, _created = SponsorCommitment.objects.get_or_create(
        programme=programme, organisation=organisation
    )
    commitment.learning_wants = learning_wants.strip()
    commitment.reform_context = reform_context.strip()
    commitment.time_committed = time_committed.strip()
    commitment.means_committed = means_committed.strip()
    commitment.committed_by = user
    signed_name = " ".join(signed_name.split())
    if signed_name:
        if not (commitment.time_committed and commitment.means_committed):
            raise StageOneError(
                _("Say which time and which means you commit before signing the commitment.")
            )
        commitment.signed_name = signed_name
        commitment.committed_at = timezone.now()
    commitment.save()
    return commitment


# Commitment contract and trust charter


@transaction.atomic
def save_contract_template(*, programme: Programme, **clauses: str) -> ContractTemplate:
    template, _created = ContractTemplate.objects.update_or_create(
        programme=programme, defaults={key: value.strip() for key, value in clauses.items()}
    )
    return template


@transaction.atomic
def sign_contract(
    *, membership: Membership, signed_name: str, shares_forward: bool = False
) -> ContractSignature:
    signed_name = " ".join(signed_name.split())
    if not signed_name:
        raise StageOneError(_("Type your full name to sign."))
    if membership.role != Role.PEER:
        raise StageOneError(_("Only peers sign the commitment contract."))
    if ContractSignature.objects.filter(membership=membership).exists():
        raise StageOneError(_("You have already signed the commitment contract."))
    clauses = [
        {"key": key, "title": str(title), "text": text}
        for key, title, text in contract_clauses(membership.programme)
    ]
    has_sharing = any(clause["key"] == "sharing_forward" for clause in clauses)
    return ContractSignature.objects.create(
        membership=membership,
        signed_name=signed_name,
        clauses=clauses,
        shares_forward=bool(shares_forward and has_sharing),
    )


@transaction.atomic
def countersign_contract(
    *, signature: ContractSignature, user: User, signed_name: str
) -> ContractSignature:
    signed_name = " ".join(signed_name.split())
    if not signed_name:
        raise StageOneError(_("Type your full name to countersign."))
    if signature.countersigned_at is not None:
        raise StageOneError(_("This contract is already countersigned."))
    signature.countersigned_by = user
    signature.countersigned_name = signed_name
    signature.countersigned_at = timezone.now()
    signature.save(update_fields=["countersigned_by", "countersigned_name", "countersigned_at"])
    return signature


@transaction.atomic
def acknowledge_charter(*, membership: Membership) -> Membership:
    if membership.charter_acknowledged_at is None:
        membership.charter_acknowledged_at = timezone.now()
        membership.save(update_fields=["charter_acknowledged_at"])
    return membership


# Activities and attendance


def _add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def occurrence_starts(start: datetime, frequency: str, occurrences: int) -> list[datetime]:
    """The start of each occurrence: daily, weekly, or monthly (same day, or the month's last)."""
    if frequency == ActivitySeries.Frequency.DAILY:
        return [start + timedelta(days=i) for i in range(occurrences)]
    if frequency == ActivitySeries.Frequency.WEEKLY:
        return [start + timedelta(weeks=i) for i in range(occurrences)]
    if frequency == ActivitySeries.Frequency.MONTHLY:
        return [_add_months(start, i) for i in range(occurrences)]
    raise StageOneError(_("Unknown repetition: %(value)s") % {"value": frequency})


def check_activity_organisations(
    *, programme: Programme, host_organisation: Organisation | None, visiting_organisations: Any
) -> None:
    """An activity's host and visiting organisations must take part in its programme."""
    allowed = set(organisations_of(programme).values_list("pk", flat=True))
    if host_organisation is not None and host_organisation.pk not in allowed:
        raise StageOneError(
            _("The host organisation %(name)s does not take part in this programme.")
            % {"name": host_organisation},
            field="host_organisation",
        )
    outsiders = [
        str(organisation)
        for organisation in visiting_organisations or ()
        if organisation.pk not in allowed
    ]
    if outsiders:
        raise StageOneError(
            _("These visiting organisations do not take part in this programme: %(names)s.")
            % {"names": ", ".join(outsiders)},
            field="visiting_organisations",
        )


def _check_activity(
    *,
    programme: Programme,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    visiting_organisations: Any = (),
    **fields: Any,
) -> None:
    """The rules every activity keeps, however it is created or changed."""
    if ends_at < starts_at:
        raise StageOneError(_("The activity ends before it starts."), field="ends_at")
    if fields.get("reciprocal") and kind != Activity.Kind.SITE_VISIT:
        raise StageOneError(_("Only a site visit can be reciprocal."), field="reciprocal")
    cohort = fields.get("cohort")
    if cohort is not None and cohort.programme_id != programme.pk:
        raise StageOneError(_("This cohort is in another programme."), field="cohort")
    group = fields.get("working_group")
    if group is not None and group.cohort.programme_id != programme.pk:
        raise StageOneError(_("This working group is in another programme."), field="working_group")
    check_activity_organisations(
        programme=programme,
        host_organisation=fields.get("host_organisation"),
        visiting_organisations=visiting_organisations,
    )


@transaction.atomic
def schedule_activity(
    *,
    programme: Programme,
    created_by: User,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    frequency: str = "",
    occurrences: int = 1,
    visiting_organisations: Any = (),
    **fields: Any,
) -> list[Activity]:
    """Create a one-off activity, or a series repeated daily, weekly or monthly."""
    _check_activity(
        programme=programme,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        visiting_organisations=visiting_organisations,
        **fields,
    )
    series = None
    starts = [starts_at]
    if frequency and occurrences > 1:
        series = ActivitySeries.objects.create(
            programme=programme, frequency=frequency, occurrences=occurrences
        )
        starts = occurrence_starts(starts_at, frequency, occurrences)
    duration = ends_at - starts_at
    activities = []
    for number, start in enumerate(starts, start=1):
        activity_title = f"{title} ({number}/{len(starts)})" if series else title
        activity = Activity.objects.create(
            programme=programme,
            kind=kind,
            title=activity_title[:200],
            starts_at=start,
            ends_at=start + duration,
            series=series,
            created_by=created_by,
            **fields,
        )
        if visiting_organisations:
            activity.visiting_organisations.set(visiting_organisations)
        activities.append(activity)
    return activities


@transaction.atomic
def update_activity(*, activity: Activity, **changes: Any) -> Activity:
    """Change an activity; it stays in its programme and keeps the rules of a new one."""
    visiting = changes.pop("visiting_organisations", None)
    changes.pop("programme", None)
    for name, value in changes.items():
        setattr(activity, name, value)
    _check_activity(
        programme=activity.programme,
        kind=activity.kind,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        visiting_organisations=(
            visiting if visiting is not None else list(activity.visiting_organisations.all())
        ),
        reciprocal=activity.reciprocal,
        cohort=activity.cohort,
        working_group=activity.working_group,
        host_organisation=activity.host_organisation,
    )
    activity.save()
    if visiting is not None:
        activity.visiting_organisations.set(visiting)
    return activity


@transaction.atomic
def cancel_activity(*, activity: Activity) -> None:
    activity.delete()


@transaction.atomic
def set_attendance(
    *, activity: Activity, membership: Membership, present: bool, user: User
) -> Attendance:
    if membership.programme_id != activity.programme_id or membership.role != Role.PEER:
        raise StageOneError(_("Only the programme's peers can be marked present."))
    if not attendees_of(activity).filter(pk=membership.pk).exists():
        raise StageOneError(
            _("This peer is not expected at this activity (it is for another cohort).")
        )
    attendance, _created = Attendance.objects.update_or_create(
        activity=activity,
        membership=membership,
        defaults={"present": present, "recorded_by": user},
    )
    return attendance


# Contacts


@transaction.atomic
def log_contact(
    *,
    programme: Programme,
    logged_by: User,
    with_user: User,
    occurred_on: date,
    channel: str,
    topic: str = "",
) -> Contact:
    if with_user.pk == logged_by.pk:
        raise StageOneError(_("A contact is between two people: choose someone else."))
    if occurred_on > timezone.localdate():
        raise StageOneError(_("The date of a contact cannot be in the future."))
    if not contact_partners(logged_by, programme).filter(pk=with_user.pk).exists():
        raise StageOneError(_("This is not someone you can log a contact with."))
    return Contact.objects.create(
        programme=programme,
        logged_by=logged_by,
        with_user=with_user,
        occurred_on=occurred_on,
        channel=channel,
        topic=topic.strip(),
    )


@transaction.atomic
def confirm_contact(*, contact: Contact, user: User) -> Contact:
    if contact.with_user_id != user.pk:
        raise StageOneError(_("Only the other person of a contact can confirm it."))
    if contact.confirmed_at is None:
        contact.confirmed_at = timezone.now()
        contact.save(update_fields=["confirmed_at"])
    return contact


# Knowledge products


def _tags(programme: Programme, names: str) -> list[KnowledgeTag]:
    tags = []
    for raw in names.split(","):
        name = " ".join(raw.split()).lower()[:60]
        if name:
            tag, _created = KnowledgeTag.objects.get_or_create(programme=programme, name=name)
            tags.append(tag)
    return tags


@transaction.atomic
def add_knowledge_product(
    *,
    programme: Programme,
    added_by: User,
    title: str,
    origin: str,
    description: str = "",
    file: Any = None,
    url: str = "",
    tags: str = "",
) -> KnowledgeProduct:
    if not file and not url:
        raise StageOneError(_("Add a file or a link."))
    product = KnowledgeProduct(
        programme=programme,
        added_by=added_by,
        title=title.strip(),
        origin=origin,
        description=description.strip(),
        url=url.strip(),
    )
    if file:
        product.file = file
    product.save()
    product.tags.set(_tags(programme, tags))
    return product


def count_knowledge_use(*, product: KnowledgeProduct, download: bool) -> None:
    """Count a view or a download, atomically in the database."""
    field_name = "download_count" if download else "view_count"
    KnowledgeProduct.objects.filter(pk=product.pk).update(**{field_name: models.F(field_name) + 1})


# Calendar feed


@transaction.atomic
def calendar_feed_for(*, user: User, renew: bool = False) -> CalendarFeed:
    """The person's secret calendar address; ``renew`` replaces the token (the old one dies)."""
    feed, created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if renew and not created:
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token"])
    return feed


PEER_IMPORT_KEPT_DAYS = 2


def purge_stale_peer_imports(*, now: Any = None) -> int:
    """Delete uploaded peer lists no longer needed: previews and refusals older than two days,
    and the rows of imports done (the people are in the programme now). Returns the count."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=PEER_IMPORT_KEPT_DAYS)
    deleted, _counts = (
        PeerImport.objects.filter(created_at__lt=cutoff)
        .exclude(status=PeerImport.Status.COMMITTED)
        .delete()
    )
    cleared = (
        PeerImport.objects.filter(status=PeerImport.Status.COMMITTED, committed_at__lt=cutoff)
        .exclude(rows=[])
        .update(rows=[], problems=[])
    )
    return deleted + cleared


def _organisation_of(user: User, programme: Programme) -> Organisation | None:
    membership = (
        Membership.objects.filter(user=user, programme=programme, organisation__isnull=False)
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


@transaction.atomic
def save_site_visit(
    *,
    programme: Programme,
    visit: Activity | None,
    created_by: User,
    visitor: User,
    host: User,
    title: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str,
    reciprocal: bool,
) -> Activity:
    """Create (or re-plan) the site visit of one peer to another's organisation, as an activity
    of the visitor's cohort; a reciprocal visit has a return visit."""
    visit = visit or Activity(programme=programme, created_by=created_by)
    visit.kind = Activity.Kind.SITE_VISIT
    visit.title = title[:200]
    visit.description = description.strip()
    visit.starts_at = starts_at
    visit.ends_at = ends_at
    visit.location = location.strip()
    visit.reciprocal = reciprocal
    visit.host_organisation = _organisation_of(host, programme)
    visit.cohort_id = (
        Membership.objects.filter(user=visitor, programme=programme)
        .exclude(cohort=None)
        .values_list("cohort", flat=True)
        .first()
    )
    visit.save()
    visiting = _organisation_of(visitor, programme)
    if visiting is not None:
        visit.visiting_organisations.set([visiting])
    return visit
