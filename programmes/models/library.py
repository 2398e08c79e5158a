"""The programme's knowledge library: documents and links, with tags."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .programme import Programme
from .uploads import knowledge_upload_to


class KnowledgeTag(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="knowledge_tags"
    )
    name = models.CharField(_("tag"), max_length=60)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=("programme", "name"), name="knowledge_tag_unique")
        ]

    def __str__(self) -> str:
        return self.name


class KnowledgeProduct(models.Model):
    """A document or link in the programme's library: produced by peers, or from outside."""

    class Origin(models.TextChoices):
        PEER = "peer", _("Produced by peers")
        EXTERNAL = "external", _("External")
        COMMUNITY = "community", _("Community publication")

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        RESEARCH_DIGEST = "research_digest", _("Research digest")
        CONTEXT_MAP = "context_map", _("Context map")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="knowledge_products"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DOCUMENT)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    file = models.FileField(_("file"), upload_to=knowledge_upload_to, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    tags = models.ManyToManyField(KnowledgeTag, blank=True, related_name="products")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    view_count = models.PositiveIntegerField(default=0)
    download_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="knowledge_product_file_or_link"
            )
        ]
        verbose_name = _("knowledge product")
        verbose_name_plural = _("knowledge products")

    def __str__(self) -> str:
        return self.title
