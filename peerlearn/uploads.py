"""Checks of uploaded files by their content (magic bytes) and size, not their name alone."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_MANDATE_BYTES = 5 * 1024 * 1024
MAX_KNOWLEDGE_BYTES = 10 * 1024 * 1024

# extension → content check
_ZIP = b"PK\x03\x04"
KNOWLEDGE_TYPES: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF",),
    ".docx": (_ZIP,),
    ".xlsx": (_ZIP,),
    ".pptx": (_ZIP,),
    ".odt": (_ZIP,),
    ".ods": (_ZIP,),
    ".odp": (_ZIP,),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".txt": None,  # text: must decode as UTF-8
    ".csv": None,
    ".md": None,
}


def _head(upload: Any, size: int = 8) -> bytes:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head: bytes = upload.read(size)
    upload.seek(position)
    return head


def validate_mandate_pdf(upload: Any) -> None:
    """A signed mandate must be a PDF (by content) of at most 5 MB."""
    if upload.size > MAX_MANDATE_BYTES:
        raise ValidationError(
            _("The mandate is too big (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": MAX_MANDATE_BYTES // 1048576}
        )
    if not _head(upload).startswith(b"%PDF"):
        raise ValidationError(_("The mandate must be a PDF file; this file is not a PDF."))


def validate_knowledge_file(upload: Any) -> None:
    """A library document: an allowed type (checked by content) of at most 10 MB."""
    if upload.size > MAX_KNOWLEDGE_BYTES:
        raise ValidationError(
            _("The file is too big (%(size)s MB); the limit is %(limit)s MB.")
            % {
                "size": round(upload.size / 1024 / 1024, 1),
                "limit": MAX_KNOWLEDGE_BYTES // 1048576,
            }
        )
    name = str(upload.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if extension not in KNOWLEDGE_TYPES:
        raise ValidationError(
            _("This type of file cannot be added. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(KNOWLEDGE_TYPES))}
        )
    signatures = KNOWLEDGE_TYPES[extension]
    if signatures is None:
        upload.seek(0)
        content = upload.read(MAX_KNOWLEDGE_BYTES + 1)
        upload.seek(0)
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError(
                _("The file is named %(extension)s but is not UTF-8 text.")
                % {"extension": extension}
            ) from error
        return
    head = _head(upload)
    if not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(
            _("The file is named %(extension)s but its content is not of that type.")
            % {"extension": extension}
        )
