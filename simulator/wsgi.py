"""WSGI entry point: ``gunicorn simulator.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

from simulator.runtime import prechauffer, ramasse_miettes_regler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simulator.settings")

application = get_wsgi_application()
# gunicorn preloads this module in its master: warm once there, then freeze for the GC.
prechauffer()
ramasse_miettes_regler()
