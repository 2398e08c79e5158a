"""The user: a person who signs in with their email address."""

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerlearn.bounds import single_line


class EmailUserManager(UserManager["User"]):
    """Creates users identified by email; there is no username."""

    use_in_migrations = True

    def _create_user_with_email(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError(_("An email address is required."))
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user_with_email(email, password, **extra)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user_with_email(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(
        _("full name"), max_length=200, blank=True, validators=[single_line]
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, blank=True, default=""
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    hide_email = models.BooleanField(
        _("hide my email address from my group"),
        default=False,
        db_default=False,
        help_text=_(
            "The members of your group and your pair then reach you by in-app messages only."
        ),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[EmailUserManager] = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ("email",)

    def __str__(self) -> str:
        return self.get_full_name()

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def get_full_name(self) -> str:
        if self.erased_at is not None:
            return str(_("Former participant"))
        return self.full_name or self.email

    def get_short_name(self) -> str:
        if self.erased_at is not None:
            return str(_("Former participant"))
        return (self.full_name.split(" ")[0] if self.full_name else "") or self.email


class ErasureRequest(models.Model):
    """A person's request to erase their account, confirmed by a facilitator of one of their
    programmes (or a site administrator). The row stays as the record of the erasure: who
    confirmed it, when, and how many rows of each kind were changed; it names the person only
    through their erased account."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a facilitator")
        DONE = "done", _("Erased")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="erasure_requests")
    reason = models.TextField(_("reason (optional)"), blank=True, max_length=2000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=20, default="request")  # "request" or "retention"
    # The facilitators told of the request by email (their ids), when all were, and when the
    # job that tells them was last handed to the broker (a sweep hands it over again while it
    # waits).
    facilitators_told = models.JSONField(default=list, blank=True)
    facilitators_told_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-requested_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("user",), condition=models.Q(status="pending"), name="one_pending_erasure"
            )
        ]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")

    def __str__(self) -> str:
        return f"{self.user_id} {self.status}"


def export_upload_to(instance: "DataExport", filename: str) -> str:
    return f"exports/{instance.user_id}/{instance.token}.zip"


class DataExport(models.Model):
    """A download of everything held about a person, built in the background when it is too
    large to build while the page waits; kept for :data:`EXPORT_KEPT_DAYS` days."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    token = models.CharField(max_length=40, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to=export_upload_to, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the job that builds it was last handed to the broker (a sweep hands it over again
    # while it waits).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    # When its owner was told it is ready (a failed email is sent again by the job's retries and,
    # after them, by the sweep).
    owner_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.user_id} {self.status}"
