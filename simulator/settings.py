"""Settings of the simulator.

Everything that differs between a developer's machine and production comes from the
environment (see README): the defaults are safe for a local run and for the test suite.
"""

import datetime as dt
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


# "development" (default: make run, tests) or "production" (gunicorn behind a proxy).
# Anything else stops the start: a typo must not fall back to DEBUG and its technical pages.
ENVIRONNEMENTS = ("development", "production")
DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
if DJANGO_ENV not in ENVIRONNEMENTS:
    raise ImproperlyConfigured(
        f"DJANGO_ENV={DJANGO_ENV!r} n'est pas reconnu : « production » ou « development » "
        "(en minuscules)."
    )
PRODUCTION = DJANGO_ENV == "production"
DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY doit être défini en production.")
    # Only for local runs and tests: nothing secret is signed with it there.
    SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "rules",
    "simulator",
]

MIDDLEWARE = [
    # First: the real client address, forwarded headers only from the trusted proxy.
    "simulator.reseau.ProxyMiddleware",
    # Then the guard: HEAD as GET, per-client limits on the pages that compute and on the
    # admin login, JSON errors on the API (simulator.guard).
    "simulator.guard.GardeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise, without the manifest of the hashed names (simulator.reseau).
    "simulator.reseau.FichiersStatiques",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it locks out repeated failed admin logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin login: 5 failures for a username from one IP → locked out for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/verrouillage.html"
# The same client address as the API rate limit (the real client behind the proxy).
AXES_CLIENT_IP_CALLABLE = "simulator.reseau.client_adresse"
# The admin lives at a configurable, non-obvious path in production.
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"
LOGIN_URL = "admin:login"
# Staff batch uploads: up to 20 MB of CSV (rows capped by LOT_LIGNES_MAX below).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
LOT_TAILLE_MAX = 20 * 1024 * 1024
# Rows the staff batch page computes in one request (one process): 100 000 rows took
# 36 s on the 2-core reference machine, too close to gunicorn's 60 s timeout under load;
# 50 000 take about 18 s. Larger batches go through the command line (all cores).
LOT_LIGNES_MAX = int(os.environ.get("LOT_LIGNES_MAX", "50000"))
# The organisation running the site: every result gives this address to report a
# surprising result. Outside production an example address stands in.
SIMULATEUR_CONTACT = os.environ.get("SIMULATEUR_CONTACT", "").strip() or (
    "" if PRODUCTION else "contact@simulateur.example.org"
)

ROOT_URLCONF = "simulator.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # Every public page: see simulator/jinja_env.py. The Django engine above serves
        # the admin (and its widgets: the admin's forms keep Django's form renderer).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "simulator.jinja_env.environnement",
            "context_processors": [
                "simulator.context_processors.liens",
                "simulator.context_processors.regimes",
            ],
            "autoescape": True,
            "trim_blocks": True,
            "lstrip_blocks": True,
        },
    },
]

WSGI_APPLICATION = "simulator.wsgi.application"


def database_from_url(url: str) -> dict[str, object]:
    """Turn DATABASE_URL (postgres://user:pass@host:port/name or sqlite:///path) into DATABASES."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parsed.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": parsed.path or ":memory:"}
    raise ImproperlyConfigured(f"DATABASE_URL non reconnue (schéma « {parsed.scheme} »).")


DATABASES = {
    "default": database_from_url(os.environ["DATABASE_URL"])
    if os.environ.get("DATABASE_URL")
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files need collectstatic: production only.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --------------------------------------------------------------------------- security
# Production runs behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
# /sante is probed by the load balancer over plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^sante$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page (hx-headers), not the cookie
SESSION_COOKIE_HTTPONLY = True
# Only the staff has a session: it lasts a working day, not Django's two weeks.
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
CSRF_FAILURE_VIEW = "simulator.info_views.csrf_refuse"

# Content Security Policy: our own files only; no inline script, no eval, no third party.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# The shared cache (database in production) holds the reference data version.
CACHE_PARTAGE = env_bool("DJANGO_CACHE_BASE", PRODUCTION)
CACHES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache"
        if CACHE_PARTAGE
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "cache_simulateur",
    },
}


def limites_cache(stockage: str) -> dict[str, Any]:
    """Where the limiter's counters live (LIMITES_STOCKAGE; docs/deployment.md).

    ``fichier``: a small SQLite file on the host's local disk, shared by its workers (the
    embedded default in production); ``base``: the main database, one atomic statement a
    call, shared by every container; ``redis://…``: Django's Redis cache, shared and
    atomic; ``memoire``: each process its own (development and tests)."""
    if stockage == "fichier":
        return {
            "BACKEND": "simulator.counters.CompteursSQLite",
            "LOCATION": os.environ.get(
                "LIMITES_FICHIER",
                os.path.join(tempfile.gettempdir(), "simulateur-limites.sqlite3"),
            ),
        }
    if stockage == "base":
        return {"BACKEND": "simulator.counters.CompteursBase"}
    if stockage.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": stockage}
    if stockage == "memoire":
        # A full cache must never forget a limited client (MAX_ENTRIES defaults to 300).
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cache_limites",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000, "CULL_FREQUENCY": 10},
        }
    raise ImproperlyConfigured(
        f"LIMITES_STOCKAGE={stockage!r} n'est pas reconnu : « fichier », « base », "
        "« memoire » ou une adresse redis://hôte:port/0."
    )


LIMITES_STOCKAGE = os.environ.get("LIMITES_STOCKAGE", "fichier" if CACHE_PARTAGE else "memoire")
CACHES["limites"] = limites_cache(LIMITES_STOCKAGE.strip())
RATELIMIT_USE_CACHE = "limites"
# A counters store that fails (full disk, read-only, Redis down) lets requests through,
# with a log line (simulator.limits): the limit protects the site, it must not stop it.
RATELIMIT_FAIL_OPEN = True


def taux_lire(nom: str, defaut: str) -> str:
    """A limit as django-ratelimit reads it ("120/m", "1000/h", "5/10s"); anything else
    stops the start with a French message (« 100000 » alone silently switched limits off)."""
    valeur = os.environ.get(nom, defaut).strip()
    if not re.fullmatch(r"\d+/\d*[smhd]", valeur):
        raise ImproperlyConfigured(
            f"{nom}={valeur!r} n'est pas une limite reconnue : un nombre de requêtes, « / » "
            "et une durée (s, m, h ou d), par exemple « 120/m »."
        )
    return valeur


API_LIMITE = taux_lire("API_LIMITE", "120/m")
# The pages that compute (summary, result, comparison, follow-up): per client, like the API.
PAGES_LIMITE = taux_lire("PAGES_LIMITE", "120/m")
# Admin login attempts per client, whatever the username (each one hashes a password).
CONNEXION_LIMITE = taux_lire("CONNEXION_LIMITE", "10/m")


def proxies_lire(texte: str) -> list[str]:
    """DJANGO_PROXIES: addresses or networks, comma-separated; anything else stops the
    start with a French message (a host name would otherwise fail every request)."""
    import ipaddress

    proxies = []
    for valeur in (v.strip() for v in texte.split(",")):
        if not valeur:
            continue
        try:
            ipaddress.ip_network(valeur, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"DJANGO_PROXIES : « {valeur} » n'est ni une adresse IP ni un réseau. "
                "Donnez l'adresse du proxy (10.0.0.2) ou son réseau (172.30.57.0/24), "
                "séparés par des virgules ; un nom d'hôte n'est pas accepté."
            ) from None
        proxies.append(valeur)
    return proxies


# Addresses (or networks) of the proxies in front: X-Forwarded-For / -Proto are believed
# only from them (simulator.reseau). Default in production: a proxy on the same host.
PROXIES_DE_CONFIANCE = proxies_lire(
    os.environ.get("DJANGO_PROXIES", "127.0.0.1,::1" if PRODUCTION else "")
)
API_TAILLE_MAX = 64 * 1024  # one situation is a few hundred bytes
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
