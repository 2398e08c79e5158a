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

from peerlearn import mail
from peerlearn.pdf import BOLD, REGULAR, draw_text, new_canvas, text_height

from .models import Attendance
from .selectors import upcoming_activities_of_user


def certificate_pdf(attendance: Attendance) -> bytes:
    """A one-page certificate that the person attended a training session, in the person's
    language (whoever prints it), in a font that holds their name in any script."""
    with translation.override(mail.language_of(attendance.membership.user)):
        return _certificate(attendance)


def _certificate(attendance: Attendance) -> bytes:
    activity = attendance.activity
    person = attendance.membership.user
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = new_canvas(buffer, pagesize=(width, height))
    pdf.setTitle(_("Certificate of attendance"))
    pdf.setAuthor("PeerLearn")
    pdf.setLineWidth(3)
    pdf.rect(1.5 * cm, 1.5 * cm, width - 3 * cm, height - 3 * cm)
    left, right = 2.5 * cm, width - 2.5 * cm
    local_start = timezone.localtime(activity.starts_at)
    # Blocks of centred text, each below the last line of the one before: (text, font, size,
    # space after).
    blocks: list[tuple[str, str, float, float]] = [
        (_("Certificate of attendance"), BOLD, 30, 1.0 * cm),
        (_("This certifies that"), REGULAR, 16, 0.6 * cm),
        (str(person), BOLD, 24, 0.5 * cm),
        (_("attended the training session"), REGULAR, 16, 0.5 * cm),
        (activity.title, BOLD, 18, 0.5 * cm),
        (
            _("%(programme)s, on %(date)s")
            % {
                "programme": activity.programme.name,
                "date": formats.date_format(local_start.date(), "DATE_FORMAT"),
            },
            REGULAR,
            14,
            0,
        ),
    ]
    top, bottom = height - 5 * cm, 3.2 * cm
    # Long names or titles take more lines: the whole text is made smaller until it ends above
    # the footer.
    scale = 1.0
    while scale > 0.3 and top - _blocks_height(blocks, scale, right - left) < bottom:
        scale *= 0.9
    baseline = top
    for text, font, size, space_after in blocks:
        baseline = draw_text(
            pdf,
            text,
            font=font,
            size=size * scale,
            baseline=baseline,
            left=left,
            right=right,
            align="centre",
        )
        baseline -= space_after * scale
    draw_text(
        pdf,
        _("Certificate %(activity)s-%(person)s, issued %(date)s")
        % {
            "activity": activity.pk,
            "person": attendance.membership.pk,
            "date": formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
        },
        font=REGULAR,
        size=10,
        baseline=2.2 * cm,
        left=left,
        right=right,
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _blocks_height(
    blocks: list[tuple[str, str, float, float]], scale: float, width: float
) -> float:
    return sum(
        text_height(text, font=font, size=size * scale, width=width) + space_after * scale
        for text, font, size, space_after in blocks
    )


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
