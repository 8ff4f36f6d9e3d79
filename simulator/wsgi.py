"""WSGI entry point: ``gunicorn simulator.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

from simulator.runtime import ramasse_miettes_regler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simulator.settings")

application = get_wsgi_application()
ramasse_miettes_regler()
