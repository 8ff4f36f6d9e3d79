#!/bin/sh
# Build steps of the image, shared by the Dockerfile and by CI (scripts/verifier_image.sh),
# which runs them outside Docker on a clean copy: the two cannot drift apart.
set -eu
python -m pip install --no-cache-dir --disable-pip-version-check --quiet .
# The image runs the source tree with PYTHONDONTWRITEBYTECODE: its bytecode is written
# here once, not compiled again by every process that starts (0.05 s each).
python -m compileall -q simulator rules >/dev/null
# Hashed, compressed static files for WhiteNoise; no secret is needed to collect them.
DJANGO_ENV=production DJANGO_SECRET_KEY=collecte-des-fichiers-statiques-seulement \
  python manage.py collectstatic --noinput --verbosity 0
