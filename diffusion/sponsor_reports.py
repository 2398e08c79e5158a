"""The sponsor's monthly progress report: its subscription and its email."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from peerlearn import mail, tokens
from peerlearn.roles import Role
from programmes.selectors import all_memberships

from . import selectors

if TYPE_CHECKING:
    from programmes.models import Membership


# ---------------------------------------------------------------------------------------------
# The sponsor's monthly progress report


def unsubscribe_token(membership: Membership) -> str:
    return tokens.SPONSOR_REPORT_UNSUBSCRIBE.make({"membership": membership.pk})


@transaction.atomic
def set_sponsor_report_subscription(*, membership: Membership, subscribed: bool) -> None:
    from .models import SponsorReportOptOut

    if subscribed:
        SponsorReportOptOut.objects.filter(membership=membership).delete()
    else:
        SponsorReportOptOut.objects.get_or_create(membership=membership)


def send_sponsor_report(*, membership_id: int, month: date) -> bool:
    """Email one sponsor the progress report for ``month`` (its first day), at most once.

    Idempotent per sponsor role and month; an unsubscribed sponsor receives nothing.
    """
    from .models import SponsorReportDelivery, SponsorReportOptOut

    month = selectors.first_of_month(month)
    with transaction.atomic():
        membership = (
            all_memberships()
            .select_related("user", "programme", "organisation")
            .filter(pk=membership_id, role=Role.SPONSOR, organisation__isnull=False)
            .first()
        )
        if membership is None or membership.organisation is None:
            return False
        if SponsorReportOptOut.objects.filter(membership=membership).exists():
            return False
        delivery, _created = SponsorReportDelivery.objects.get_or_create(
            membership=membership, month=month
        )
        delivery = SponsorReportDelivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.sent_at is not None:
            return False
        previous = selectors.first_of_month(month - timedelta(days=1))
        report = selectors.sponsor_report(
            membership.programme, membership.organisation, since=previous
        )
        context = {
            "report": report,
            "membership": membership,
            "month": month,
            "since": previous,
            "url": mail.absolute_url(
                reverse("diffusion:sponsor_report", kwargs={"pk": membership.programme_id})
            ),
            "unsubscribe_url": mail.absolute_url(
                reverse(
                    "diffusion:sponsor_unsubscribe",
                    kwargs={"token": unsubscribe_token(membership)},
                )
            ),
        }
        mail.send_email(
            to=membership.user,
            subject=gettext_lazy("Progress of %(organisation)s's peers in %(programme)s"),
            subject_params={
                "organisation": membership.organisation.name,
                "programme": membership.programme.name,
            },
            template="diffusion/email/sponsor_report",
            context=context,
            html=True,
            headers={"List-Unsubscribe": f"<{context['unsubscribe_url']}>"},
        )
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["sent_at"])
    return True
