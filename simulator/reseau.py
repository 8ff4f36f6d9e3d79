"""Who the client is, and the headers every response carries.

Behind the documented TLS proxy, every request comes from the proxy: the client is the
address the proxy appended last to X-Forwarded-For (never the first one, which a client
can forge), and X-Forwarded-Proto says whether the client used HTTPS. Those headers are
believed only when the peer is one of ``PROXIES_DE_CONFIANCE``; from anyone else they
are dropped, so that nothing downstream (HTTPS detection, API rate limit, admin login
lockout) can be fooled by them.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Reseau = ipaddress.IPv4Network | ipaddress.IPv6Network
ENTETES_TRANSMIS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")
# No page uses the camera, the microphone, the position or payments: say so to browsers.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)


@cache
def _proxies(valeurs: tuple[str, ...]) -> tuple[Reseau, ...]:
    return tuple(ipaddress.ip_network(v, strict=False) for v in valeurs)


def proxy_de_confiance(adresse: str) -> bool:
    try:
        ip = ipaddress.ip_address(adresse)
    except ValueError:
        return False
    return any(ip in reseau for reseau in _proxies(tuple(settings.PROXIES_DE_CONFIANCE)))


class ProxyMiddleware:
    """First in the chain: REMOTE_ADDR becomes the real client's, forwarded headers are
    kept only from a trusted proxy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        if proxy_de_confiance(str(meta.get("REMOTE_ADDR", ""))):
            derniere = str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")[-1].strip()
            # No (or a garbled) client address: the proxy's stays.
            with contextlib.suppress(ValueError):
                meta["REMOTE_ADDR"] = str(ipaddress.ip_address(derniere))
        else:
            for entete in ENTETES_TRANSMIS:
                meta.pop(entete, None)
        reponse = self.get_response(request)
        reponse.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return reponse


def client_adresse(request: HttpRequest) -> str:
    """The client's address (after ProxyMiddleware): API rate limit and admin lockout."""
    return str(request.META.get("REMOTE_ADDR", ""))


def client_cle_limite(groupe: str, request: HttpRequest) -> str:
    """django-ratelimit's key function."""
    return client_adresse(request)
