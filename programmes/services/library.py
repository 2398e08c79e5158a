"""The knowledge library: adding documents and links, counting their use."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from peerlearn.users.models import User

from ..models import KnowledgeProduct, KnowledgeTag, Programme
from .errors import StageOneError


def _tags(programme: Programme, names: str) -> list[KnowledgeTag]:
    tags = []
    for raw in names.split(","):
        name = " ".join(raw.split()).lower()[:60]
        if name:
            tag, _created = KnowledgeTag.objects.get_or_create(programme=programme, name=name)
            tags.append(tag)
    return tags


@transaction.atomic
def add_knowledge_product(
    *,
    programme: Programme,
    added_by: User,
    title: str,
    origin: str,
    description: str = "",
    file: Any = None,
    url: str = "",
    tags: str = "",
    kind: str = KnowledgeProduct.Kind.DOCUMENT,
) -> KnowledgeProduct:
    if not file and not url:
        raise StageOneError(_("Add a file or a link."))
    product = KnowledgeProduct(
        programme=programme,
        added_by=added_by,
        title=title.strip(),
        origin=origin,
        kind=kind,
        description=description.strip(),
        url=url.strip(),
    )
    if file:
        product.file = file
    product.save()
    product.tags.set(_tags(programme, tags))
    return product


def count_knowledge_use(*, product: KnowledgeProduct, download: bool) -> None:
    """Count a view or a download, atomically in the database."""
    field_name = "download_count" if download else "view_count"
    KnowledgeProduct.objects.filter(pk=product.pk).update(**{field_name: models.F(field_name) + 1})
