"""The network's own governance: a country-led steering group with its members, meetings and
decisions log; the co-funding partners and the resources they give, by year, in cash or in
kind (the PEMPAL inputs tier reads them)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .programme import Programme


class SteeringMember(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="steering_members"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    position = models.CharField(_("position"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    since = models.DateField(_("member since"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("programme", "user"), name="steering_member_once")
        ]
        verbose_name = _("steering group member")
        verbose_name_plural = _("steering group members")

    def __str__(self) -> str:
        return str(self.user)


class SteeringMeeting(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="steering_meetings"
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-held_on", "-pk")
        verbose_name = _("steering group meeting")
        verbose_name_plural = _("steering group meetings")

    def __str__(self) -> str:
        return f"{self.held_on}"


class SteeringDecision(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="steering_decisions"
    )
    meeting = models.ForeignKey(
        SteeringMeeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    decided_on = models.DateField(_("decided on"))
    text = models.TextField(_("decision"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-decided_on", "-pk")
        verbose_name = _("steering group decision")
        verbose_name_plural = _("steering group decisions")

    def __str__(self) -> str:
        return self.text[:60]


class Funder(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="funders")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=("programme", "name"), name="funder_unique_name")
        ]
        verbose_name = _("co-funding partner")
        verbose_name_plural = _("co-funding partners")

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    """What a partner gives in one year, in cash or in kind, and for what."""

    class Kind(models.TextChoices):
        CASH = "cash", _("Cash")
        IN_KIND = "in_kind", _("In kind")

    class Purpose(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        WEBSITE = "website", _("Website and online tools")
        EVENTS = "events", _("Events and activities")
        KNOWLEDGE = "knowledge", _("Knowledge products")
        GOVERNANCE = "governance", _("Governance")
        OTHER = "other", _("Other")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="resources")
    funder = models.ForeignKey(
        Funder, on_delete=models.CASCADE, related_name="resources", verbose_name=_("partner")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("cash or in kind"), max_length=20, choices=Kind.choices)
    purpose = models.CharField(_("for"), max_length=20, choices=Purpose.choices)
    amount = models.DecimalField(
        _("amount or value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    description = models.CharField(_("what"), max_length=300, blank=True)

    class Meta:
        ordering = ("-year", "funder__name", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="resource_amount_positive")
        ]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return f"{self.funder} {self.year}"
