#!/bin/sh
# Container start: bring the schema and reference data up to date, then serve.
# load_reference only adds the shipped rows the database lacks (admins' changes stay).
# With several replicas, run the three manage.py lines once as a release step instead.
set -eu
# This script serves production: without DJANGO_ENV it must not fall back to DEBUG.
export DJANGO_ENV="${DJANGO_ENV:-production}"
python manage.py migrate --noinput
# Before load_reference, which announces new data to the workers through the cache.
python manage.py createcachetable
python manage.py load_reference
exec gunicorn -c gunicorn.conf.py simulator.wsgi:application
