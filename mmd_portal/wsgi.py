"""WSGI entry point of the MMD Portal."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mmd_portal.settings.base")

application = get_wsgi_application()
