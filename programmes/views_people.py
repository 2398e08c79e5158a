"""Pages about people: peer import, organisations and nominations, authorisations, the sponsor's
commitment, the commitment contract and the trust charter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest
from peerlearn.listing import paginate

from . import selectors, services, standings
from .checklist import TRUST_CHARTER
from .filters import PeopleFilters, StandingFilters
from .forms import (
    AuthorisationForm,
    ContractTemplateForm,
    CountersignForm,
    NominationForm,
    OrganisationForm,
    PeerImportForm,
    SignContractForm,
    SponsorCommitmentForm,
)
from .models import Invitation, Nomination, PeerImport
from .views_setup import base_context, programme_with_perm


@login_required
@require_http_methods(["GET", "POST"])
def peer_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Upload a CSV/XLSX file of peers; the result is kept for the preview (nothing written)."""
    programme = programme_with_perm(request, pk, "programmes.import_peers")
    form = PeerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        preview = services.preview_peer_import(
            programme=programme,
            uploaded_by=request.user,
            upload=upload,
            name=upload.name or "",
            create_organisations=form.cleaned_data["create_organisations"],
        )
        return redirect("programmes:import_preview", pk=programme.pk, import_id=preview.pk)
    return render(request, "programmes/import.html", base_context(request, programme, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: AuthenticatedHttpRequest, pk: int, import_id: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.import_peers")
    preview = selectors.peer_import_for(request.user, programme, import_id)
    if request.method == "POST":
        with service_errors(request, suffix=_("Nothing was imported.")):
            counts = services.commit_peer_import(peer_import=preview, user=request.user)
            messages.success(
                request,
                _(
                    "Imported: %(invited)s invitations sent, %(updated)s peers updated, "
                    "%(organisations)s organisations created."
                )
                % counts,
            )
            return redirect("programmes:overview", pk=programme.pk)
        return redirect("programmes:import_preview", pk=programme.pk, import_id=preview.pk)
    rows = preview.rows
    context = base_context(
        request,
        programme,
        preview=preview,
        rows=rows,
        problems=preview.problems,
        new_count=sum(1 for row in rows if not row["updates_existing"]),
        update_count=sum(1 for row in rows if row["updates_existing"]),
        new_organisations=sorted(
            {(row["organisation"], row["country"]) for row in rows if row["new_organisation"]}
        ),
        can_commit=preview.status == PeerImport.Status.PREVIEW,
    )
    return render(request, "programmes/import_preview.html", context)


@login_required
@require_POST
def invitation_resend(request: AuthenticatedHttpRequest, pk: int, invitation: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.invite_people")
    item = get_object_or_404(Invitation.objects.filter(programme=programme), pk=invitation)
    with service_errors(request):
        services.resend_invitation(invitation=item, user=request.user)
        messages.success(
            request, _("The invitation to %(email)s is sent again.") % {"email": item.email}
        )
    return redirect("programmes:overview", pk=programme.pk)


@login_required
@require_http_methods(["GET", "POST"])
def organisations(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Organisations of the programme with their sponsors and peers; facilitators add new ones."""
    programme = programme_with_perm(request, pk, "programmes.view_organisations")
    can_manage = request.user.has_perm("programmes.manage_organisations", programme)
    form = OrganisationForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only facilitators add organisations."))
        if form.is_valid():
            with service_errors(request):
                organisation = services.create_organisation(
                    programme=programme, **form.cleaned_data
                )
                messages.success(
                    request,
                    _("%(name)s is added. Invite its sponsor with the role “Organisation sponsor”.")
                    % {"name": organisation},
                )
                return redirect("programmes:organisations", pk=programme.pk)
    listing = paginate(
        request,
        selectors.organisations_with_peer_counts(request.user, programme),
        label=_("Pages of organisations"),
    )
    sponsors = selectors.sponsors_of(programme, [o.pk for o in listing])
    rows = [
        {"organisation": o, "sponsors": sponsors.get(o.pk, []), "peers": o.peer_count}
        for o in listing
    ]
    context = base_context(request, programme, rows=rows, listing=listing, form=form)
    return render(request, "programmes/organisations.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def nominations(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The sponsor's page: their organisation's peers, nominations and authorisations."""
    programme = selectors.get_programme_for(request.user, pk)
    can_nominate = request.user.has_perm("programmes.nominate_peers", programme)
    if not (can_nominate or request.user.has_perm("programmes.view_overview", programme)):
        raise PermissionDenied(_("Only sponsors and facilitators see nominations."))
    mine = selectors.sponsored_organisations(request.user, programme)
    form = NominationForm(request.POST or None, organisations=mine) if can_nominate else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only sponsors nominate peers."))
        if form.is_valid():
            with service_errors(request):
                nomination = services.nominate_peer(
                    programme=programme, nominated_by=request.user, **form.cleaned_data
                )
                messages.success(
                    request,
                    _("%(email)s is nominated; an invitation is on its way. Authorise them below.")
                    % {"email": nomination.email},
                )
                return redirect("programmes:nominations", pk=programme.pk)
    filters = StandingFilters(
        request,
        programme=programme,
        organisations=selectors.organisations_visible_to(request.user, programme),
    )
    listing = paginate(
        request,
        standings.standing_rows(request.user, programme, **filters.arguments()),
        filters=filters,
        label=_("Pages of peers"),
    )
    commitments = [selectors.sponsor_commitment(programme, organisation) for organisation in mine]
    context = base_context(
        request,
        programme,
        form=form,
        standings=standings.standings_for(programme, listing),
        listing=listing,
        commitments=commitments,
        can_nominate=can_nominate,
    )
    return render(request, "programmes/nominations.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def authorise(request: AuthenticatedHttpRequest, pk: int, email: str) -> HttpResponse:
    """The sponsor authorises one nominee (in-app sign-off or signed mandate PDF)."""
    programme = selectors.get_programme_for(request.user, pk)
    standing = standings.standing_of(request.user, programme, email)
    if standing is None or standing.organisation is None:
        raise PermissionDenied(_("You can only authorise peers of your own organisation."))
    nomination = standing.nomination or Nomination(
        programme=programme,
        organisation=standing.organisation,
        email=standing.email.lower(),
        full_name=standing.full_name,
    )
    if not request.user.has_perm("programmes.authorise_nominee", nomination):
        raise PermissionDenied(_("Only the sponsor of the peer's organisation authorises them."))
    form = AuthorisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(request):
            services.authorise_nomination(
                nomination=nomination,
                user=request.user,
                signed_name=form.cleaned_data["signed_name"],
                mandate=form.cleaned_data.get("mandate"),
            )
            messages.success(
                request, _("%(name)s is authorised.") % {"name": standing.full_name or email}
            )
            return redirect("programmes:nominations", pk=programme.pk)
    context = base_context(request, programme, form=form, standing=standing)
    return render(request, "programmes/authorise.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def sponsor_commitment(
    request: AuthenticatedHttpRequest, pk: int, organisation: int
) -> HttpResponse:
    """The mini-survey (what the organisation wants to learn) and the commitment of means."""
    programme = programme_with_perm(request, pk, "programmes.nominate_peers")
    org = get_object_or_404(
        selectors.sponsored_organisations(request.user, programme), pk=organisation
    )
    commitment = selectors.sponsor_commitment(programme, org)
    was_signed = commitment.committed_at is not None
    form = SponsorCommitmentForm(request.POST or None, instance=commitment)
    if request.method == "POST" and form.is_valid():
        with service_errors(request):
            saved = services.save_sponsor_commitment(
                programme=programme, organisation=org, user=request.user, **form.cleaned_data
            )
            if was_signed and saved.committed_at is None:
                messages.warning(
                    request,
                    _(
                        "Your answers are saved. They changed since you signed them, so the "
                        "commitment is not signed any more: sign it again when it is final."
                    ),
                )
            else:
                messages.success(request, _("Your answers are saved."))
            return redirect("programmes:nominations", pk=programme.pk)
    context = base_context(request, programme, form=form, organisation=org, commitment=commitment)
    return render(request, "programmes/sponsor_commitment.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contract(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A peer reads and signs the commitment contract; sponsors and facilitators see signatures."""
    programme = programme_with_perm(request, pk, "programmes.view_programme")
    membership = selectors.my_peer_membership(request.user, programme)
    signature = getattr(membership, "contract_signature", None) if membership else None
    form = SignContractForm(request.POST or None)
    if request.method == "POST":
        if membership is None or not request.user.has_perm("programmes.sign_contract", programme):
            raise PermissionDenied(_("Only peers sign the commitment contract."))
        if form.is_valid():
            with service_errors(request):
                services.sign_contract(membership=membership, **form.cleaned_data)
                messages.success(request, _("Thank you: the contract is signed."))
                return redirect("programmes:contract", pk=programme.pk)
    signatures = None
    countersigns: set[int] = set()
    if request.user.has_perm("programmes.view_contracts", programme):
        filters = PeopleFilters(
            request,
            programme=programme,
            organisations=selectors.organisations_visible_to(request.user, programme),
        )
        del filters.fields["role"]
        signatures = paginate(
            request,
            filters.apply_to_signatures(
                selectors.contract_signatures_visible_to(request.user, programme)
            ),
            filters=filters,
            label=_("Pages of signatures"),
        )
        countersigns = set(
            selectors.sponsored_organisations(request.user, programme).values_list("pk", flat=True)
        )
    context = base_context(
        request,
        programme,
        clauses=selectors.contract_clauses(programme),
        membership=membership,
        signature=signature,
        form=form,
        signatures=signatures,
        countersigns=countersigns,
        can_edit=request.user.has_perm("programmes.change_programme", programme),
    )
    return render(request, "programmes/contract.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.change_programme")
    form = ContractTemplateForm(
        request.POST or None, instance=selectors.contract_template(programme)
    )
    if request.method == "POST" and form.is_valid():
        services.save_contract_template(programme=programme, **form.cleaned_data)
        messages.success(request, _("The contract is saved. Peers who signed keep their version."))
        return redirect("programmes:contract", pk=programme.pk)
    return render(
        request, "programmes/contract_form.html", base_context(request, programme, form=form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def countersign(request: AuthenticatedHttpRequest, pk: int, signature: int) -> HttpResponse:
    programme = selectors.get_programme_for(request.user, pk)
    item = get_object_or_404(selectors.contract_signatures_of(programme), pk=signature)
    if not request.user.has_perm("programmes.countersign_contract", item):
        raise PermissionDenied(_("Only the sponsor of the peer's organisation countersigns."))
    form = CountersignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(request):
            services.countersign_contract(
                signature=item, user=request.user, signed_name=form.cleaned_data["signed_name"]
            )
            messages.success(request, _("The contract is countersigned."))
            return redirect("programmes:contract", pk=programme.pk)
    context = base_context(request, programme, form=form, signature=item)
    return render(request, "programmes/countersign.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def charter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The trust charter, shown to a peer when they join (and to anyone in the programme)."""
    programme = programme_with_perm(request, pk, "programmes.view_programme")
    membership = selectors.my_peer_membership(request.user, programme)
    if request.method == "POST":
        if membership is None:
            raise PermissionDenied(_("Only peers acknowledge the charter."))
        services.acknowledge_charter(membership=membership)
        messages.success(request, _("Thank you. Your next steps are below."))
        return redirect(programme)
    context = base_context(request, programme, charter=TRUST_CHARTER, membership=membership)
    return render(request, "programmes/charter.html", context)


@login_required
def mandate(request: AuthenticatedHttpRequest, pk: int, nomination: int) -> HttpResponseBase:
    """The signed mandate PDF of an authorisation, for its sponsor and the facilitators."""
    programme = selectors.get_programme_for(request.user, pk)
    item = get_object_or_404(
        selectors.nominations_visible_to(request.user, programme).exclude(mandate=""),
        pk=nomination,
    )
    if not request.user.has_perm("programmes.view_mandate", item):
        raise PermissionDenied(_("Only the sponsor and the facilitators read the mandate."))
    return FileResponse(
        item.mandate.open("rb"),
        as_attachment=True,
        filename=f"mandate-{item.pk}.pdf",
        content_type="application/pdf",
    )
