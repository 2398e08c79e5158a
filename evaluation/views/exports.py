"""Exports of a programme's evaluation data: small ones answered at once, larger ones written by
a background job that the person follows on the exports page and downloads from there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peerlearn.errors import service_errors
from peerlearn.http import AuthenticatedHttpRequest

from .. import exports, selectors, services
from ..forms import ExportJobForm
from ..models import AccessRecord, ExportJob
from ..services import export_jobs
from .common import programme_with_perm

if TYPE_CHECKING:
    from programmes.models import Programme

EXPORTERS_ONLY = "Only the programme's facilitators and managers can export its data."
# The jobs listed on the exports page (files older than the days they are kept are removed).
LISTED = 20


def _exporter(request: AuthenticatedHttpRequest, pk: int) -> Programme:
    return programme_with_perm(request, pk, "evaluation.export", _(EXPORTERS_ONLY))


@login_required
@require_GET
def export(request: AuthenticatedHttpRequest, pk: int, what: str, fmt: str) -> HttpResponse:
    """A small export at once; a large one is sent to the exports page to be asked as a job."""
    programme = _exporter(request, pk)
    if what not in exports.TABLES or fmt not in exports.FORMATS:
        raise Http404(_("There is no such export."))
    if exports.row_estimate(request.user, programme, what) > export_jobs.immediate_limit():
        messages.info(
            request,
            _(
                "This export is large: it is written in the background. Ask for it below and "
                "download it from this page when it is ready."
            ),
        )
        page = reverse("evaluation:exports", kwargs={"pk": programme.pk})
        return redirect(f"{page}?kind={what}&format={fmt}")
    headers, rows = exports.TABLES[what](request.user, programme)
    services.record_access(
        programme=programme,
        user=request.user,
        action=AccessRecord.Action.EXPORT,
        detail=f"{what}.{fmt}",
    )
    return exports.FORMATS[fmt](f"{what}-programme-{programme.pk}", headers, rows)


def _page(
    request: AuthenticatedHttpRequest, programme: Programme, form: ExportJobForm, status: int = 200
) -> HttpResponse:
    jobs = list(selectors.export_jobs_for(request.user, programme)[:LISTED])
    return render(
        request,
        "evaluation/exports.html",
        {
            "programme": programme,
            "jobs": jobs,
            "form": form,
            "kept_days": export_jobs.kept_days(),
            "immediate_rows": export_jobs.immediate_limit(),
        },
        status=status,
    )


@login_required
@require_GET
def exports_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = _exporter(request, pk)
    initial = {
        "kind": request.GET.get("kind", ExportJob.Kind.RESPONSES),
        "format": request.GET.get("format", ExportJob.Format.XLSX),
    }
    return _page(request, programme, ExportJobForm(initial=initial))


@login_required
@require_POST
def export_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = _exporter(request, pk)
    form = ExportJobForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            export_jobs.request_export(
                programme=programme,
                user=request.user,
                kind=form.cleaned_data["kind"],
                fmt=form.cleaned_data["format"],
            )
            messages.success(
                request, _("The export is being written. This page shows when it is ready.")
            )
            return redirect("evaluation:exports", pk=programme.pk)
    return _page(request, programme, form, status=400)


def _job(request: AuthenticatedHttpRequest, pk: int, job_id: int) -> tuple[Programme, ExportJob]:
    programme = _exporter(request, pk)
    job = selectors.export_jobs_for(request.user, programme).filter(pk=job_id).first()
    if job is None:
        raise Http404(_("There is no such export."))
    return programme, job


@login_required
@require_GET
def export_progress(request: AuthenticatedHttpRequest, pk: int, job_id: int) -> HttpResponse:
    """One job's row of the exports page (polled while the job is waiting or being written)."""
    programme, job = _job(request, pk, job_id)
    return render(request, "evaluation/_export_job.html", {"programme": programme, "job": job})


@login_required
@require_GET
def export_download(request: AuthenticatedHttpRequest, pk: int, job_id: int) -> FileResponse:
    programme, job = _job(request, pk, job_id)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404(_("This export is not ready."))
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This export is no longer kept: ask for it again.")) from None
    services.record_access(
        programme=programme,
        user=request.user,
        action=AccessRecord.Action.EXPORT,
        detail=f"{job.kind}.{job.format}",
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=job.filename,
        content_type=exports.CONTENT_TYPES[job.format],
    )
