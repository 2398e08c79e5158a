"""Rows of the permission matrix for the account pages: a person's data and erasure
(tests/matrix.py). The erasure request to confirm is ``peer_same_cohort``'s."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import World
from tests.matrix import LOGIN, Row, everyone


def _request(w: World) -> int:
    from peerlearn.users.models import ErasureRequest
    from peerlearn.users.services import request_erasure
    from peerlearn.users.tasks import tell_facilitators_of_erasure

    found = ErasureRequest.objects.filter(user=w.peer_same_cohort).first()
    return (found or request_erasure(user=w.peer_same_cohort, job=tell_facilitators_of_erasure)).pk


def _export(w: World) -> int:
    from peerlearn.users.models import DataExport
    from peerlearn.users.services import build_export

    found = DataExport.objects.filter(user=w.peer).first()
    if found:
        return found.pk
    export = DataExport.objects.create(user=w.peer, token=f"t{w.peer.pk}")
    build_export(export_id=export.pk)
    return export.pk


ROWS: list[Row] = [
    Row(
        "my prepared download",
        "get",
        lambda w: reverse("my_export", args=[_export(w)]),
        everyone(404, anonymous=LOGIN, peer=200),
    ),
    Row("my account", "get", lambda w: reverse("my_account"), everyone(200, anonymous=LOGIN)),
    Row("my data download", "post", lambda w: reverse("my_data"), everyone(200, anonymous=LOGIN)),
    Row(
        "my erasure request",
        "post",
        lambda w: reverse("my_erasure"),
        everyone(302, anonymous=LOGIN),
        data=lambda w: {"confirm": "on"},
    ),
    Row(
        "my erasure request withdrawn",
        "post",
        lambda w: reverse("my_erasure_withdraw"),
        everyone(302, anonymous=LOGIN),
    ),
    Row(
        "erasure requests to confirm",
        "get",
        lambda w: reverse("erasure_requests"),
        everyone(404, anonymous=LOGIN, outsider=200, facilitator=200, admin=200),
    ),
    Row(
        "erasure confirm",
        "post",
        lambda w: reverse("erasure_confirm", args=[_request(w)]),
        everyone(404, anonymous=LOGIN, facilitator=302, admin=302),
    ),
]
