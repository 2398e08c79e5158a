"""Generated documents: the PDF attendance certificate and the iCal feed."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from peerlearn import mail

from .models import Attendance
from .selectors import upcoming_activities_of_user


def certificate_pdf(attendance: Attendance) -> bytes:
    """A one-page certificate that the person attended a training session, in the person's
    language (whoever prints it)."""
    with translation.override(mail.language_of(attendance.membership.user)):
        return _certificate(attendance)


def _certificate(attendance: Attendance) -> bytes:
    activity = attendance.activity
    person = attendance.membership.user
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(_("Certificate of attendance"))
    pdf.setAuthor("PeerLearn")
    pdf.setLineWidth(3)
    pdf.rect(1.5 * cm, 1.5 * cm, width - 3 * cm, height - 3 * cm)
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(width / 2, height - 5 * cm, _("Certificate of attendance"))
    pdf.setFont("Helvetica", 16)
    pdf.drawCentredString(width / 2, height - 7 * cm, _("This certifies that"))
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawCentredString(width / 2, height - 8.5 * cm, str(person))
    pdf.setFont("Helvetica", 16)
    pdf.drawCentredString(width / 2, height - 10 * cm, _("attended the training session"))
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawCentredString(width / 2, height - 11.5 * cm, activity.title)
    local_start = timezone.localtime(activity.starts_at)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(
        width / 2,
        height - 13 * cm,
        _("%(programme)s, on %(date)s")
        % {
            "programme": activity.programme.name,
            "date": formats.date_format(local_start.date(), "DATE_FORMAT"),
        },
    )
    pdf.setFont("Helvetica", 10)
    pdf.drawString(
        2.5 * cm,
        2.2 * cm,
        _("Certificate %(activity)s-%(person)s, issued %(date)s")
        % {
            "activity": activity.pk,
            "person": attendance.membership.pk,
            "date": formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
        },
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def calendar_for(user: Any, request: Any = None) -> bytes:
    """Every activity the person may see, as an iCalendar file."""
    calendar = Calendar()
    calendar.add("prodid", "-//PeerLearn//Activities//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "PeerLearn")
    site = settings.SITE_URL.rstrip("/")
    host = site.split("://", 1)[-1]
    for activity in upcoming_activities_of_user(user).order_by("starts_at"):
        event = Event()
        event.add("uid", f"activity-{activity.pk}@{host}")
        event.add("summary", f"{activity.title} ({activity.get_kind_display()})")
        event.add("dtstart", activity.starts_at)
        event.add("dtend", activity.ends_at)
        event.add("dtstamp", timezone.now())
        if activity.location:
            event.add("location", activity.location)
        description = activity.description or ""
        event.add(
            "description",
            f"{activity.programme.name}\n{description}".strip(),
        )
        event.add("url", f"{site}{activity.get_absolute_url()}")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
