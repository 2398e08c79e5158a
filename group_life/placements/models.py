"""A placement of a peer adviser in a host organisation, and its check-ins."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Placement(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="placements"
    )
    peer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="placements",
        verbose_name=_("peer adviser"),
    )
    home_organisation = models.ForeignKey(
        "programmes.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    host_organisation = models.ForeignKey(
        "programmes.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("host organisation"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    goals = models.TextField(_("goals of the placement"), max_length=4000)
    end_reflection = models.TextField(_("reflection at the end"), blank=True, max_length=4000)
    reflected_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-starts_on", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="placement_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(home_organisation=models.F("host_organisation")),
                name="placement_in_another_organisation",
            ),
        ]
        verbose_name = _("peer adviser placement")
        verbose_name_plural = _("peer adviser placements")

    def __str__(self) -> str:
        return f"{self.peer} → {self.host_organisation}"

    @property
    def weeks(self) -> int:
        return max(1, ((self.ends_on - self.starts_on).days + 1) // 7)


class PlacementCheckIn(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="check_ins")
    held_on = models.DateField(_("held on"))
    progress = models.TextField(_("progress on the goals"), max_length=4000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("placement", "held_on", "pk")
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.placement_id} {self.held_on}"

    @property
    def programme_id(self) -> int:
        return self.placement.programme_id
