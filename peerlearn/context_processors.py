"""Navigation for the shared layout, by what the signed-in person may do."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[dict[str, str]] = []
    if user is not None and user.is_authenticated:
        items.append({"url": reverse("home"), "label": _("My programmes")})
        items.append({"url": reverse("my_account"), "label": _("Account")})
        items.append({"url": reverse("api-docs"), "label": _("API")})
        if user.is_staff:
            items.append({"url": reverse("admin:index"), "label": _("Administration")})
    current = request.path
    for item in items:
        item["current"] = "page" if current == item["url"] else ""
    return {"nav_items": items}
