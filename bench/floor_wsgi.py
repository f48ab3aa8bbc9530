"""The app's WSGI application with the bench URLconf (the app plus the floor view), for
bench/load.py's gunicorn. Never used by a deployment."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participation.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "bench.floor_urls"
