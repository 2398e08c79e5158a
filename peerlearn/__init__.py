"""PeerLearn: the Django project (settings, URLs, Celery app, users, roles, permissions, layout)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
