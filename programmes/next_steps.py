"""Next steps of stage 1 for a programme's home: set-up and people for facilitators, the
contract and own objectives for peers, nominations and countersignatures for sponsors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn import navigation as nav
from peerlearn.aggregates import one_row, scalar
from peerlearn.home import DONE, OPEN, WAITING, NextStep
from peerlearn.roles import Role, roles_in

from . import selectors
from .checklist import CHECKLIST
from .models import ChecklistAnswer, ContractSignature, Invitation, Nomination

if TYPE_CHECKING:
    from .models import Programme


def next_steps(user: Any, programme: Programme) -> list[NextStep]:
    steps: list[NextStep] = []
    if user.has_perm("programmes.change_programme", programme):
        counts = _staff_counts(programme)
        steps += _set_up(programme, counts) + _people(programme, counts)
    roles = roles_in(user, programme)
    if Role.PEER in roles:
        steps += _peer(user, programme)
    if Role.SPONSOR in roles:
        steps += _sponsor(user, programme)
    return steps


def _url(name: str, programme: Programme) -> str:
    return reverse(f"programmes:{name}", kwargs={"pk": programme.pk})


def _staff_counts(programme: Programme) -> dict[str, Any]:
    """What the set-up and people steps count, in one query."""
    waiting = Invitation.objects.filter(
        programme=programme,
        role=Role.PEER,
        status__in=[Invitation.Status.PENDING, Invitation.Status.EXPIRED],
    ).exclude(email__in=selectors.peers_of(programme).values("user__email"))
    return one_row(
        objectives=scalar(programme.learning_objectives.all(), Count("pk")),
        cohorts=scalar(programme.cohorts.all(), Count("pk")),
        answered=scalar(
            ChecklistAnswer.objects.filter(programme=programme).exclude(answer=""), Count("pk")
        ),
        peers=scalar(selectors.peers_of(programme), Count("pk")),
        waiting=scalar(waiting, Count("pk")),
    )


def _set_up(programme: Programme, counts: dict[str, Any]) -> list[NextStep]:
    theory = selectors.theory_of_change(programme)
    objectives = int(counts["objectives"] or 0)
    cohorts = int(counts["cohorts"] or 0)
    questions = sum(len(part.questions) for part in CHECKLIST)
    answered = int(counts["answered"] or 0)
    has_theory = theory is not None and bool(theory.focal_point.strip())
    return [
        NextStep(
            stage=nav.SETUP,
            title=_("Theory of change") if has_theory else _("Write the theory of change"),
            detail=""
            if has_theory
            else _("The change you aim for, what influences it and your assumptions."),
            url=_url("theory", programme),
            action=_("Edit") if has_theory else _("Write it"),
            status=DONE if has_theory else OPEN,
            order=10,
        ),
        NextStep(
            stage=nav.SETUP,
            title=ngettext(
                "%(count)d learning objective", "%(count)d learning objectives", objectives
            )
            % {"count": objectives}
            if objectives
            else _("Set the learning objectives"),
            url=_url("objectives", programme),
            action=_("Edit") if objectives else _("Set them"),
            status=DONE if objectives else OPEN,
            order=20,
        ),
        NextStep(
            stage=nav.SETUP,
            title=ngettext("%(count)d cohort", "%(count)d cohorts", cohorts) % {"count": cohorts}
            if cohorts
            else _("Create a cohort"),
            detail="" if cohorts else _("Peers are invited into a cohort and matched within it."),
            url=_url("cohorts", programme),
            action=_("Edit") if cohorts else _("Create one"),
            status=DONE if cohorts else OPEN,
            order=30,
        ),
        NextStep(
            stage=nav.SETUP,
            title=_("Community-of-practice checklist"),
            detail=_("%(answered)d of %(total)d questions answered.")
            % {"answered": answered, "total": questions},
            url=_url("checklist", programme),
            action=_("Answer it") if answered < questions else _("Edit"),
            status=DONE if answered >= questions else OPEN,
            order=40,
        ),
    ]


def _people(programme: Programme, counts: dict[str, Any]) -> list[NextStep]:
    peers = int(counts["peers"] or 0)
    waiting = int(counts["waiting"] or 0)
    steps = []
    if not peers and not waiting:
        steps.append(
            NextStep(
                stage=nav.PEOPLE,
                title=_("Invite the peers"),
                detail=_("Import a list of peers from a spreadsheet, or invite people one by one."),
                url=_url("import", programme),
                action=_("Import peers"),
                order=10,
            )
        )
    else:
        steps.append(
            NextStep(
                stage=nav.PEOPLE,
                title=ngettext("%(count)d peer has joined", "%(count)d peers have joined", peers)
                % {"count": peers},
                url=_url("overview", programme),
                action=_("See where they stand"),
                status=DONE,
                order=10,
            )
        )
    if waiting:
        steps.append(
            NextStep(
                stage=nav.PEOPLE,
                title=ngettext(
                    "%(count)d invited person has not joined yet",
                    "%(count)d invited people have not joined yet",
                    waiting,
                )
                % {"count": waiting},
                detail=_("Send their invitation again from the overview."),
                url=_url("overview", programme),
                action=_("See who"),
                status=WAITING,
                order=20,
            )
        )
    return steps


def _peer(user: Any, programme: Programme) -> list[NextStep]:
    membership = selectors.my_peer_membership(user, programme)
    if membership is None:
        return []
    signed = ContractSignature.objects.filter(membership=membership).exists()
    objectives = membership.own_objectives.count()
    return [
        NextStep(
            stage=nav.SETUP,
            title=_("Commitment contract signed") if signed else _("Sign the commitment contract"),
            detail=""
            if signed
            else _("What you, your organisation and the programme commit to, in one page."),
            url=_url("contract", programme),
            action=_("Read it") if signed else _("Read and sign"),
            status=DONE if signed else OPEN,
            order=50,
        ),
        NextStep(
            stage=nav.SETUP,
            title=ngettext(
                "%(count)d learning objective of your own",
                "%(count)d learning objectives of your own",
                objectives,
            )
            % {"count": objectives}
            if objectives
            else _("Write your own learning objectives"),
            detail="" if objectives else _("What do you want to be able to do at the end?"),
            url=_url("my_objectives", programme),
            action=_("Edit") if objectives else _("Write them"),
            status=DONE if objectives else OPEN,
            order=60,
        ),
    ]


def _sponsor(user: Any, programme: Programme) -> list[NextStep]:
    organisations = list(selectors.sponsored_organisations(user, programme))
    if not organisations:
        return []
    nominations = Nomination.objects.filter(programme=programme, organisation__in=organisations)
    to_authorise = nominations.filter(authorised_at__isnull=True).count()
    to_countersign = ContractSignature.objects.filter(
        membership__programme=programme,
        membership__organisation__in=organisations,
        countersigned_at__isnull=True,
    ).count()
    steps = [
        NextStep(
            stage=nav.PEOPLE,
            title=ngettext(
                "%(count)d person nominated", "%(count)d people nominated", nominations.count()
            )
            % {"count": nominations.count()}
            if nominations.exists()
            else _("Nominate peers from your organisation"),
            url=_url("nominations", programme),
            action=_("Nominations"),
            status=DONE if nominations.exists() else OPEN,
            order=10,
        )
    ]
    if to_authorise:
        steps.append(
            NextStep(
                stage=nav.PEOPLE,
                title=ngettext(
                    "%(count)d nominee waits for your authorisation",
                    "%(count)d nominees wait for your authorisation",
                    to_authorise,
                )
                % {"count": to_authorise},
                url=_url("nominations", programme),
                action=_("Authorise"),
                order=20,
            )
        )
    if to_countersign:
        steps.append(
            NextStep(
                stage=nav.SETUP,
                title=ngettext(
                    "%(count)d contract waits for your countersignature",
                    "%(count)d contracts wait for your countersignature",
                    to_countersign,
                )
                % {"count": to_countersign},
                url=_url("contract", programme),
                action=_("Countersign"),
                order=50,
            )
        )
    return steps
