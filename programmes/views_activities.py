"""Pages of activities and attendance, the calendar feed, the contact log and the library."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest, posted_id
from peerlearn.listing import Listing, paginate

from . import selectors, services
from .conversation_tools import guide_for
from .documents import calendar_for, certificate_pdf
from .filters import AttendanceFilters
from .forms import ActivityForm, ContactForm, KnowledgeProductForm
from .forms_agenda import ConversationToolForm
from .models import Activity
from .views_setup import base_context, programme_with_perm


@login_required
def activities(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.view_activities")
    feed = services.calendar_feed_for(user=request.user)
    context = base_context(
        request,
        programme,
        activities=paginate(
            request,
            selectors.activities_for(request.user, programme).order_by("starts_at", "pk"),
            label=_("Pages of activities"),
        ),
        can_manage=request.user.has_perm("programmes.manage_activities", programme),
        feed_url=request.build_absolute_uri(reverse("programmes:calendar", args=[feed.token])),
    )
    return render(request, "programmes/activities.html", context)


@login_required
@require_POST
def calendar_renew(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.view_activities")
    services.calendar_feed_for(user=request.user, renew=True)
    messages.success(request, _("Your calendar address is new; the old one no longer works."))
    return redirect("programmes:activities", pk=programme.pk)


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.manage_activities")
    form = ActivityForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        frequency = data.pop("frequency") or ""
        occurrences = data.pop("occurrences") or 1
        with service_errors(request):
            created = services.schedule_activity(
                programme=programme,
                created_by=request.user,
                frequency=frequency,
                occurrences=occurrences if frequency else 1,
                **data,
            )
            messages.success(
                request,
                ngettext(
                    "%(count)s activity scheduled.", "%(count)s activities scheduled.", len(created)
                )
                % {"count": len(created)},
            )
            return redirect("programmes:activities", pk=programme.pk)
    return render(
        request, "programmes/activity_form.html", base_context(request, programme, form=form)
    )


def _attendance_rows(listing: Listing) -> list[dict[str, object]]:
    return [
        {"membership": m, "present": m.present, "recorded": m.present is not None} for m in listing
    ]


@login_required
def activity_detail(request: AuthenticatedHttpRequest, pk: int, activity: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.view_activities")
    item = selectors.get_activity_for(request.user, programme, activity)
    can_take = request.user.has_perm("programmes.take_attendance", programme)
    membership = selectors.my_peer_membership(request.user, programme)
    attended = membership is not None and selectors.present_at(item, membership) is not None
    listing = None
    if can_take:
        filters = AttendanceFilters(
            request, organisations=selectors.organisations_visible_to(request.user, programme)
        )
        listing = paginate(
            request,
            selectors.attendance_list(item, **filters.values()),
            filters=filters,
            label=_("Pages of attendance"),
        )
    context = base_context(
        request,
        programme,
        activity=item,
        can_take=can_take,
        listing=listing,
        rows=_attendance_rows(listing) if listing is not None else [],
        attended=attended,
        is_training=item.kind == Activity.Kind.TRAINING,
        guide=guide_for(item.conversation_tool),
        tool_form=ConversationToolForm(initial={"tool": item.conversation_tool}),
        can_manage=request.user.has_perm("programmes.manage_activities", programme),
    )
    return render(request, "programmes/activity_detail.html", context)


@login_required
@require_POST
def attendance_toggle(
    request: AuthenticatedHttpRequest, pk: int, activity: int, membership: int
) -> HttpResponse:
    """Mark a peer present or absent; answers the new row to HTMX, or redirects."""
    programme = programme_with_perm(request, pk, "programmes.take_attendance")
    item = selectors.get_activity_for(request.user, programme, activity)
    person = get_object_or_404(selectors.attendees_of(item), pk=membership)
    present = request.POST.get("present") == "1"
    services.set_attendance(
        activity=item,
        membership=person,
        present=present,
        user=request.user,
    )
    if getattr(request, "htmx", False):
        row = {"membership": person, "present": present, "recorded": True}
        return render(
            request,
            "programmes/_attendance_row.html",
            {"programme": programme, "activity": item, "row": row},
        )
    return redirect(item.get_absolute_url())


@login_required
@require_GET
def certificate(request: AuthenticatedHttpRequest, pk: int, activity: int) -> HttpResponse:
    """The attendance certificate of a training session (the peer's own, or any for staff)."""
    programme = programme_with_perm(request, pk, "programmes.view_activities")
    item = selectors.get_activity_for(request.user, programme, activity)
    if item.kind != Activity.Kind.TRAINING:
        raise Http404(_("Certificates are given for training sessions only."))
    membership_id = request.GET.get("membership")
    if membership_id:
        if not request.user.has_perm("programmes.take_attendance", programme):
            raise PermissionDenied(_("Only facilitators print certificates for others."))
        membership = get_object_or_404(selectors.peers_of(programme), pk=posted_id(membership_id))
    else:
        found = selectors.my_peer_membership(request.user, programme)
        if found is None:
            raise PermissionDenied(_("Certificates are for the peers who attended."))
        membership = found
    attendance = selectors.present_at(item, membership)
    if attendance is None:
        raise PermissionDenied(_("There is no certificate: the attendance is not recorded."))
    response = HttpResponse(certificate_pdf(attendance), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{item.pk}-{membership.pk}.pdf"'
    )
    return response


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's activities as iCal, for calendar apps (the secret address is the key)."""
    user = selectors.feed_owner(token)
    if user is None:
        raise Http404(_("Unknown calendar address."))
    response = HttpResponse(
        calendar_for(user, request), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="peerlearn.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def contacts(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.view_contacts")
    can_log = request.user.has_perm("programmes.log_contact", programme)
    partners = selectors.contact_partners(request.user, programme)
    form = ContactForm(request.POST or None, partners=partners) if can_log else None
    if request.method == "POST":
        if form is None or selectors.my_peer_membership(request.user, programme) is None:
            raise PermissionDenied(_("Only peers log contacts."))
        if form.is_valid():
            with service_errors(request):
                services.log_contact(
                    programme=programme, logged_by=request.user, **form.cleaned_data
                )
                messages.success(
                    request, _("The contact is logged. The other person can confirm it.")
                )
                return redirect("programmes:contacts", pk=programme.pk)
    context = base_context(
        request,
        programme,
        form=form,
        contacts=paginate(
            request,
            selectors.contacts_for(request.user, programme).order_by(
                "-occurred_on", "-created_at", "-pk"
            ),
            label=_("Pages of contacts"),
        ),
    )
    return render(request, "programmes/contacts.html", context)


@login_required
@require_POST
def contact_confirm(request: AuthenticatedHttpRequest, pk: int, contact: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.view_contacts")
    item = selectors.get_contact_for(request.user, programme, contact)
    if item.with_user_id != request.user.pk or not request.user.has_perm(
        "programmes.confirm_contact", item
    ):
        raise PermissionDenied(_("Only the other person of a contact can confirm it."))
    services.confirm_contact(contact=item, user=request.user)
    messages.success(request, _("The contact is confirmed."))
    return redirect("programmes:contacts", pk=programme.pk)


@login_required
@require_http_methods(["GET", "POST"])
def library(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.view_knowledge")
    can_add = request.user.has_perm("programmes.add_knowledge", programme)
    form = KnowledgeProductForm(request.POST or None, request.FILES or None) if can_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only peers and facilitators add to the library."))
        if form.is_valid():
            with service_errors(request):
                services.add_knowledge_product(
                    programme=programme, added_by=request.user, **form.cleaned_data
                )
                messages.success(request, _("It is in the library."))
                return redirect("programmes:library", pk=programme.pk)
    tag = request.GET.get("tag", "")[:60]
    context = base_context(
        request,
        programme,
        form=form,
        products=selectors.knowledge_products_for(request.user, programme, tag=tag),
        tags=programme.knowledge_tags.all(),
        tag=tag,
    )
    return render(request, "programmes/library.html", context)


@login_required
def library_item(request: AuthenticatedHttpRequest, pk: int, product: int) -> HttpResponse:
    programme = programme_with_perm(request, pk, "programmes.view_knowledge")
    item = selectors.get_knowledge_product_for(request.user, programme, product)
    services.count_knowledge_use(product=item, download=False)
    item.refresh_from_db()
    return render(
        request, "programmes/library_item.html", base_context(request, programme, item=item)
    )


@login_required
def library_download(request: AuthenticatedHttpRequest, pk: int, product: int) -> HttpResponseBase:
    programme = programme_with_perm(request, pk, "programmes.view_knowledge")
    item = selectors.get_knowledge_product_for(request.user, programme, product)
    if not item.file:
        if item.url:
            services.count_knowledge_use(product=item, download=True)
            return redirect(item.url)
        raise Http404(_("There is no file."))
    services.count_knowledge_use(product=item, download=True)
    name = str(item.file.name or "").rsplit("/", 1)[-1].split("-", 1)[-1]
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=name)
