"""Where uploaded files of a programme are stored."""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def _upload_path(instance: Any, folder: str, filename: str) -> str:
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    return f"programmes/{instance.programme_id}/{folder}/{stamp}-{filename}"


def mandate_upload_to(instance: Any, filename: str) -> str:
    return _upload_path(instance, "mandates", filename)


def knowledge_upload_to(instance: Any, filename: str) -> str:
    return _upload_path(instance, "knowledge", filename)
