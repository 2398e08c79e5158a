"""WSGI entry point (gunicorn peerlearn.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings.prod")

application = get_wsgi_application()
