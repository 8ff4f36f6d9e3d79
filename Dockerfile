# Production image: slim Python, non-root user, static files collected at build time,
# gunicorn as the command. The build and start steps live in deploy/*.sh, which CI also
# runs outside Docker (scripts/verifier_image.sh).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_ENV=production

WORKDIR /app
COPY . /app
RUN sh deploy/build.sh \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin simulateur \
    && chown -R simulateur /app

USER simulateur
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/sante', timeout=2)"
CMD ["sh", "deploy/start.sh"]
