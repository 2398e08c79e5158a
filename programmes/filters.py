"""Filters of the long lists of programmes' pages (people, standings, signatures, attendance)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from peerlearn.listing import ListFilters
from peerlearn.roles import Role

from .models import Cohort, ContractSignature, Membership, Organisation, Programme
from .standings import STATUSES

YES_NO = (("", _("Either")), ("yes", _("Yes")), ("no", _("No")))


class _ProgrammeFilters(ListFilters):
    """Search by name or email, cohort and organisation: the filters most lists share."""

    q = forms.CharField(label=_("Name or email"), max_length=100, widget=forms.SearchInput)
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.none(), empty_label=_("Any cohort")
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Any organisation"),
    )

    def __init__(
        self,
        request: HttpRequest,
        *,
        programme: Programme,
        organisations: QuerySet[Organisation],
        prefix: str = "",
    ) -> None:
        super().__init__(request, prefix=prefix)
        cohort = self.fields["cohort"]
        organisation = self.fields["organisation"]
        assert isinstance(cohort, forms.ModelChoiceField)
        assert isinstance(organisation, forms.ModelChoiceField)
        cohort.queryset = programme.cohorts.order_by("name")
        organisation.queryset = organisations.order_by("name", "country")


class PeopleFilters(_ProgrammeFilters):
    """The people of a programme: name, role, cohort, organisation."""

    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Any role")), *Role.choices])

    def apply(self, memberships: QuerySet[Membership]) -> QuerySet[Membership]:
        values = self.values()
        if "q" in values:
            memberships = memberships.filter(
                Q(user__full_name__icontains=values["q"]) | Q(user__email__icontains=values["q"])
            )
        for name in ("role", "cohort", "organisation"):
            if name in values:
                memberships = memberships.filter(**{name: values[name]})
        return memberships

    def apply_to_signatures(
        self, signatures: QuerySet[ContractSignature]
    ) -> QuerySet[ContractSignature]:
        """The same filters on contract signatures (through their membership)."""
        values = self.values()
        if "q" in values:
            signatures = signatures.filter(
                Q(membership__user__full_name__icontains=values["q"])
                | Q(membership__user__email__icontains=values["q"])
            )
        for name in ("cohort", "organisation"):
            if name in values:
                signatures = signatures.filter(**{f"membership__{name}": values[name]})
        return signatures.order_by("membership__user__full_name", "pk")


class StandingFilters(_ProgrammeFilters):
    """Where peers stand: name, cohort, organisation, the furthest step, authorisation."""

    status = forms.ChoiceField(label=_("Step reached"), choices=[("", _("Any step")), *STATUSES])
    authorised = forms.ChoiceField(label=_("Authorised"), choices=YES_NO)

    def arguments(self) -> dict[str, Any]:
        """Keyword arguments of :func:`programmes.standings.standing_rows`."""
        return self.values()


class AttendanceFilters(ListFilters):
    """Who was expected at an activity: name, organisation, attendance."""

    q = forms.CharField(label=_("Name or email"), max_length=100, widget=forms.SearchInput)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Any organisation"),
    )
    present = forms.ChoiceField(
        label=_("Attendance"),
        choices=(
            ("", _("Anyone")),
            ("yes", _("Present")),
            ("no", _("Absent")),
            ("unrecorded", _("Not recorded")),
        ),
    )

    def __init__(
        self, request: HttpRequest, *, organisations: QuerySet[Organisation], prefix: str = ""
    ) -> None:
        super().__init__(request, prefix=prefix)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = organisations.order_by("name", "country")
