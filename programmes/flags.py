"""Stage-1 risk flags of a programme (foundational engagement)."""

from __future__ import annotations

from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.flags import RiskFlag, Stage
from peerlearn.roles import Role

from .models import Invitation, Membership, Nomination, Programme, TheoryOfChange
from .services import MAX_OBJECTIVES_ADVISED


def flags_for(programme: Programme) -> list[RiskFlag]:
    flags: list[RiskFlag] = []

    def page(name: str) -> str:
        return reverse(f"programmes:{name}", kwargs={"pk": programme.pk})

    theory = TheoryOfChange.objects.filter(programme=programme).first()
    if theory is None or not theory.focal_point.strip():
        flags.append(
            RiskFlag(
                Stage.FOUNDATION,
                "no-theory-of-change",
                _(
                    "The programme has no theory of change: without a focal point, "
                    "influential variables and assumptions, evaluation has nothing to link to."
                ),
                url=page("theory"),
            )
        )
    objectives = programme.learning_objectives.count()
    if objectives > MAX_OBJECTIVES_ADVISED:
        flags.append(
            RiskFlag(
                Stage.FOUNDATION,
                "too-many-objectives",
                _("The programme has %(count)s learning objectives; keep to five at most.")
                % {"count": objectives},
                url=page("objectives"),
            )
        )
    peer_emails = (
        Membership.objects.filter(programme=programme, role=Role.PEER)
        .annotate(key=Lower("user__email"))
        .values("key")
    )
    authorised = (
        Nomination.objects.filter(programme=programme, authorised_at__isnull=False)
        .annotate(key=Lower("email"))
        .values("key")
    )
    missing = (
        Membership.objects.filter(programme=programme, role=Role.PEER)
        .annotate(key=Lower("user__email"))
        .exclude(key__in=authorised)
        .count()
    )
    overview = reverse("programmes:overview", kwargs={"pk": programme.pk})
    if missing:
        flags.append(
            RiskFlag(
                Stage.FOUNDATION,
                "missing-authorisation",
                ngettext(
                    "%(count)s peer has no authorisation from their organisation.",
                    "%(count)s peers have no authorisation from their organisation.",
                    missing,
                )
                % {"count": missing},
                url=f"{overview}?{urlencode({'authorised': 'no'})}",
            )
        )
    pending = (
        Invitation.objects.filter(
            programme=programme,
            role=Role.PEER,
            status__in=[Invitation.Status.PENDING, Invitation.Status.EXPIRED],
        )
        .annotate(key=Lower("email"))
        .exclude(key__in=peer_emails)
        .count()
    )
    if pending:
        flags.append(
            RiskFlag(
                Stage.FOUNDATION,
                "peers-not-joined",
                ngettext(
                    "%(count)s invited peer has not joined yet.",
                    "%(count)s invited peers have not joined yet.",
                    pending,
                )
                % {"count": pending},
                url=f"{overview}?{urlencode({'status': 'invited'})}",
            )
        )
    return flags
