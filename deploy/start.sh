#!/bin/sh
# Container start: bring the schema and reference data up to date, then serve.
# With several replicas, run the two manage.py lines once as a release step instead.
set -eu
python manage.py migrate --noinput
python manage.py createcachetable
exec gunicorn -c gunicorn.conf.py simulator.wsgi:application
