"""Bringing people in: invitations, nominations and authorisations by sponsors, the sponsor's
commitment, the commitment contract and its signatures, and imported lists of peers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerlearn.bounds import single_line
from peerlearn.roles import Role

from .programme import Cohort, Membership, Organisation, Programme
from .uploads import mandate_upload_to


class Invitation(models.Model):
    """An invitation by email to take a role in a programme; accepted through a signed link."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Invited")
        ACCEPTED = "accepted", _("Joined")
        EXPIRED = "expired", _("Expired")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    full_name = models.CharField(
        _("full name"), max_length=200, blank=True, validators=[single_line]
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PEER)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    send_requested_at = models.DateTimeField(default=timezone.now)
    # When the email was handed to the task broker (empty, or older than the request: waiting
    # for the broker), and why the last try to send it failed.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    send_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("programme", "email", "role"), name="invitation_unique_per_role"
            )
        ]
        # Standings match people by lower-cased email address across memberships, invitations
        # and nominations.
        indexes = [models.Index(F("programme"), Lower("email"), name="invitation_lower_email")]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.programme} ({self.get_role_display()})"

    @property
    def needs_sending(self) -> bool:
        return self.status == self.Status.PENDING and (
            self.sent_at is None or self.sent_at < self.send_requested_at
        )

    @property
    def sending_state(self) -> str:
        """``"sent"``, ``"failed"`` (``send_error`` says why) or ``"waiting"`` (not sent yet)."""
        if not self.needs_sending:
            return "sent"
        return "failed" if self.send_error else "waiting"


class Nomination(models.Model):
    """A person put forward by an organisation for a programme, and their authorisation.

    A sponsor nominates someone (an invitation goes out), or the facilitator lists them by import;
    either way the organisation's sponsor authorises them, by an in-app sign-off or by uploading a
    signed mandate (PDF). Keyed by email, so it holds before and after the person joins.
    """

    class Method(models.TextChoices):
        SIGN_OFF = "sign_off", _("Signed off in the app")
        MANDATE = "mandate", _("Signed mandate uploaded")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="nominations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="nominations"
    )
    email = models.EmailField(_("email address"))
    full_name = models.CharField(
        _("full name"), max_length=200, blank=True, validators=[single_line]
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    languages = models.JSONField(
        _("working languages"),
        default=list,
        blank=True,
        help_text=_("ISO 639-1 codes, from the people import; the intake starts from them."),
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    authorised_at = models.DateTimeField(_("authorised at"), null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(_("how"), max_length=20, choices=Method.choices, blank=True)
    signed_name = models.CharField(_("signed by (typed name)"), max_length=200, blank=True)
    mandate = models.FileField(_("signed mandate"), upload_to=mandate_upload_to, blank=True)

    class Meta:
        ordering = ("programme", "organisation", "email")
        constraints = [
            models.UniqueConstraint(fields=("programme", "email"), name="nomination_unique_email"),
            models.CheckConstraint(
                condition=Q(authorised_at__isnull=True) | ~Q(method=""),
                name="nomination_authorised_has_method",
            ),
        ]
        indexes = [models.Index(F("programme"), Lower("email"), name="nomination_lower_email")]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation})"

    @property
    def is_authorised(self) -> bool:
        return self.authorised_at is not None


class SponsorCommitment(models.Model):
    """An organisation's answers to the mini-survey and its commitment of time and means."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="sponsor_commitments"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sponsor_commitments"
    )
    learning_wants = models.TextField(
        _("What does your organisation want to learn from peers?"), blank=True
    )
    reform_context = models.TextField(
        _("Which reform or problem is this learning for?"), blank=True
    )
    time_committed = models.TextField(
        _("Time committed"),
        blank=True,
        help_text=_("For example: five working days for the event, two hours a month after."),
    )
    means_committed = models.TextField(
        _("Means committed for diffusion"),
        blank=True,
        help_text=_("For example: a report-back meeting with the department, travel costs."),
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_name = models.CharField(_("signed by (typed name)"), max_length=200, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("programme", "organisation")
        constraints = [
            models.UniqueConstraint(
                fields=("programme", "organisation"), name="sponsor_commitment_unique"
            )
        ]
        verbose_name = _("sponsor commitment")
        verbose_name_plural = _("sponsor commitments")

    def __str__(self) -> str:
        return f"{self.organisation} — {self.programme}"


class ContractTemplate(models.Model):
    """The programme's commitment contract: the clauses every peer signs."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="contract_template"
    )
    working_together = models.TextField(_("Working together"))
    attending_meetings = models.TextField(_("Attending peer meetings"))
    communicating = models.TextField(_("Communicating regularly"))
    applying_at_home = models.TextField(_("Applying lessons at home"))
    sharing_forward = models.TextField(_("Sharing forward (optional)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("commitment contract")
        verbose_name_plural = _("commitment contracts")

    def __str__(self) -> str:
        return f"{self.programme}: contract"


class ContractSignature(models.Model):
    """A peer's signature of the commitment contract, with the text they signed."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="contract_signature"
    )
    signed_name = models.CharField(_("typed name"), max_length=200)
    signed_at = models.DateTimeField(default=timezone.now)
    clauses = models.JSONField(default=list, help_text=_("The clauses as they were signed."))
    shares_forward = models.BooleanField(_("I also commit to sharing forward"), default=False)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    countersigned_name = models.CharField(max_length=200, blank=True)
    countersigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-signed_at",)
        verbose_name = _("contract signature")
        verbose_name_plural = _("contract signatures")

    def __str__(self) -> str:
        return f"{self.signed_name} ({self.signed_at:%Y-%m-%d})"

    @property
    def programme(self) -> Programme:
        return self.membership.programme


class PeerImport(models.Model):
    """An uploaded list of peers, held between the preview and the commit."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        COMMITTED = "committed", _("Imported")
        REFUSED = "refused", _("Refused")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="peer_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEW)
    rows = models.JSONField(default=list)
    problems = models.JSONField(default=list)
    create_organisations = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("peer import")
        verbose_name_plural = _("peer imports")

    def __str__(self) -> str:
        return f"{self.filename} → {self.programme}"
