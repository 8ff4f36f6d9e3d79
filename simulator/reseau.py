"""Who the client is, and the headers every response carries.

Behind the documented TLS proxy, every request comes from the proxy: the client is the
address the proxy appended last to X-Forwarded-For (never the first one, which a client
can forge), and X-Forwarded-Proto says whether the client used HTTPS. Those headers are
believed only when the peer is one of ``PROXIES_DE_CONFIANCE``; from anyone else they
are dropped, so that nothing downstream (HTTPS detection, API rate limit, admin login
lockout) can be fooled by them. With two proxies in a row (a TLS proxy, then the
buffering nginx of compose.yaml), X-Forwarded-For is read from the right, skipping the
trusted proxies: the client is the first address that is not one of them.

An IPv6 client is counted by its /64 (the block a single subscriber or host gets), so
that rotating addresses inside it evades neither the limits nor the admin lockout.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import cache, lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from whitenoise.middleware import WhiteNoiseMiddleware  # type: ignore[import-untyped]

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


def client_transmis(transmis: str) -> str | None:
    """The client in X-Forwarded-For: from the right, the first address that is not a
    trusted proxy (the ones on its left may be forged); None if the header has none."""
    client = None
    for morceau in reversed(transmis.split(",")):
        try:
            client = str(ipaddress.ip_address(morceau.strip()))
        except ValueError:
            break  # garbled: what is on its left cannot be trusted either
        if not proxy_de_confiance(client):
            break
    return client


class ProxyMiddleware:
    """First in the chain: REMOTE_ADDR becomes the real client's, forwarded headers are
    kept only from a trusted proxy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        if proxy_de_confiance(str(meta.get("REMOTE_ADDR", ""))):
            # No (or a garbled) client address: the proxy's stays.
            client = client_transmis(str(meta.get("HTTP_X_FORWARDED_FOR", "")))
            if client is not None:
                meta["REMOTE_ADDR"] = client
        else:
            for entete in ENTETES_TRANSMIS:
                meta.pop(entete, None)
        reponse = self.get_response(request)
        reponse.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return reponse


@lru_cache(maxsize=4096)  # bounded: every client brings a new address
def client_groupe(adresse: str) -> str:
    """An IPv4 address as it is; an IPv6 one as its /64 (its first address)."""
    try:
        ip = ipaddress.ip_address(adresse)
    except ValueError:
        return adresse
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False).network_address)
    return str(ip)


def client_adresse(request: HttpRequest) -> str:
    """The client (after ProxyMiddleware), an IPv6 one by its /64: the limits and the
    admin lockout count it."""
    return client_groupe(str(request.META.get("REMOTE_ADDR", "")))


def client_cle_limite(groupe: str, request: HttpRequest) -> str:
    """django-ratelimit's key function."""
    return client_adresse(request)


class FichiersStatiques(WhiteNoiseMiddleware):
    """WhiteNoise, less the manifest of hashed names (``staticfiles.json``): it lists
    every file of the site and is for the server only."""

    MANIFESTE = "staticfiles.json"

    def add_file_to_dictionary(self, url: str, path: str, stat_cache: object = None) -> None:
        if url.rsplit("/", 1)[-1].startswith(self.MANIFESTE):
            return
        super().add_file_to_dictionary(url, path, stat_cache=stat_cache)

    def find_file(self, url: str) -> object:
        if url.rsplit("/", 1)[-1].startswith(self.MANIFESTE):
            return None
        return super().find_file(url)
