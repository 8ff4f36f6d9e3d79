#!/bin/sh
# Container start: bring the schema and reference data up to date, then serve.
# With several replicas, run the two manage.py lines once as a release step instead.
set -eu
# This script serves production: without DJANGO_ENV it must not fall back to DEBUG.
export DJANGO_ENV="${DJANGO_ENV:-production}"
python manage.py migrate --noinput
python manage.py createcachetable
exec gunicorn -c gunicorn.conf.py simulator.wsgi:application
