"""gunicorn settings: ``gunicorn -c gunicorn.conf.py simulator.wsgi:application``.

Every value can be overridden by the environment (GUNICORN_*). The access log never
contains the query string: on this site it carries a doctor's figures.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Simulations are CPU-bound and short: processes, not threads; 2 × cores + 1 by default.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Sync workers: measured (make loadtest) twice the result-page throughput of gthread on
# this CPU-bound site. gthread stays available for slow clients behind no proxy.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Django is loaded once in the master, then forked: workers start at once and share its
# memory (simulator.runtime freezes it for the garbage collector). No connection is
# opened at import, so none is shared by the forks.
preload_app = True
# The staff batch page streams up to ~100 000 rows: leave it time, but not forever.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory hygiene), staggered so they never restart together.
max_requests = 5000
max_requests_jitter = 500
# Request line without the query string (%(U)s is the path only); no referrer either.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Trust X-Forwarded-* from the reverse proxy only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn ≥ 25 opens a control socket ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl) by
# default: nothing here uses it, and two instances of one user would share its path.
control_socket_disable = True
