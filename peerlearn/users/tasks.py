"""Background jobs of a person's data: building a large download, removing old ones."""

from celery import shared_task

from peerlearn.jobs import EMAIL_TASK, SWEEP_TASK

from . import services


@shared_task(**EMAIL_TASK)
def build_data_export(export_id: int) -> bool:
    return services.build_export(export_id=export_id)


@shared_task(**SWEEP_TASK)
def purge_data_exports() -> int:
    return services.purge_exports()


@shared_task(**EMAIL_TASK)
def tell_facilitators_of_erasure(request_id: int) -> int:
    return services.tell_facilitators(request_id=request_id)


@shared_task(**SWEEP_TASK)
def queue_waiting_jobs() -> dict[str, int]:
    """Every minute: hand to the broker the downloads and erasure notices it could not take."""
    return services.queue_waiting_jobs(
        export_job=build_data_export, erasure_job=tell_facilitators_of_erasure
    )
