"""reverse(), memoised: a result page resolved some twenty URLs a request (profile in
docs/deployment.md), always the same few. The URL configuration does not change while the
process runs; the script prefix is part of the key."""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, reverse


@lru_cache(maxsize=256)
def _chemin(prefixe: str, nom: str, args: tuple[str, ...]) -> str:
    return reverse(nom, args=args)


def chemin(nom: str, *args: str) -> str:
    return _chemin(get_script_prefix(), nom, args)
