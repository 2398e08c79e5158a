"""Background jobs of a person's data: building a large download, removing old ones."""

from smtplib import SMTPException

from celery import shared_task

from . import services


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def build_data_export(export_id: int) -> bool:
    return services.build_export(export_id=export_id)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=3)
def purge_data_exports() -> int:
    return services.purge_exports()
