"""A cache backend for counters shared by the server processes of one host: the API's
rate limiter (django-ratelimit).

django-ratelimit needs a cache that every worker shares and that increments atomically
(its documentation names Redis and Memcached). The database cache is neither atomic nor
cheap: several queries on the main database per API call halved the API's throughput
(measured, docs/deployment.md). These counters live in a small SQLite file on the host's
local disk, in WAL mode: one statement per call, atomic (SQLite serialises writers), shared by every
gunicorn worker, gone with the container (a counter lives one minute).

Counters only: values are integers. With several hosts behind a load balancer, each
host counts its own clients; a global limit then needs Django's Redis cache
(docs/deployment.md).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

# Expired counters are deleted by every this-many-th new counter of a process.
NETTOYAGE_TOUS_LES = 1000


class CompteursSQLite(BaseCache):
    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.chemin = location
        self._local = threading.local()
        self._ajouts = 0

    def _connexion(self) -> sqlite3.Connection:
        """One connection per thread and per process (gunicorn forks after import)."""
        connexion: sqlite3.Connection | None = getattr(self._local, "connexion", None)
        if connexion is None or self._local.pid != os.getpid():
            connexion = sqlite3.connect(self.chemin, timeout=10, isolation_level=None)
            connexion.execute("PRAGMA journal_mode=WAL")
            # A counter lost in a power cut costs nothing: no fsync per call.
            connexion.execute("PRAGMA synchronous=OFF")
            connexion.execute(
                "CREATE TABLE IF NOT EXISTS compteurs (cle TEXT PRIMARY KEY, "
                "valeur INTEGER NOT NULL, expire REAL NOT NULL) WITHOUT ROWID"
            )
            self._local.connexion, self._local.pid = connexion, os.getpid()
        return connexion

    def _expiration(self, timeout: Any) -> float:
        """The expiry as a Unix time (Django's get_backend_timeout), never for None."""
        echeance = self.get_backend_timeout(timeout)
        return float("inf") if echeance is None else float(echeance)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        """Create the counter unless a live one exists (an expired one is replaced)."""
        cle = self.make_and_validate_key(key, version=version)
        curseur = self._connexion().execute(
            "INSERT INTO compteurs VALUES (?, ?, ?) ON CONFLICT (cle) DO UPDATE SET "
            "valeur = excluded.valeur, expire = excluded.expire WHERE compteurs.expire <= ?",
            (cle, int(value), self._expiration(timeout), time.time()),
        )
        ajoute = curseur.rowcount == 1
        if ajoute:
            self._ajouts += 1
            if self._ajouts % NETTOYAGE_TOUS_LES == 0:
                self._connexion().execute("DELETE FROM compteurs WHERE expire <= ?", (time.time(),))
        return ajoute

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        cle = self.make_and_validate_key(key, version=version)
        ligne = (
            self._connexion()
            .execute(
                "UPDATE compteurs SET valeur = valeur + ? WHERE cle = ? AND expire > ? "
                "RETURNING valeur",
                (delta, cle, time.time()),
            )
            .fetchone()
        )
        if ligne is None:
            raise ValueError(f"Key '{key}' not found")
        return int(ligne[0])

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        cle = self.make_and_validate_key(key, version=version)
        ligne = (
            self._connexion()
            .execute(
                "SELECT valeur FROM compteurs WHERE cle = ? AND expire > ?", (cle, time.time())
            )
            .fetchone()
        )
        return default if ligne is None else ligne[0]

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        cle = self.make_and_validate_key(key, version=version)
        self._connexion().execute(
            "INSERT OR REPLACE INTO compteurs VALUES (?, ?, ?)",
            (cle, int(value), self._expiration(timeout)),
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        cle = self.make_and_validate_key(key, version=version)
        curseur = self._connexion().execute(
            "UPDATE compteurs SET expire = ? WHERE cle = ? AND expire > ?",
            (self._expiration(timeout), cle, time.time()),
        )
        return curseur.rowcount == 1

    def delete(self, key: Any, version: int | None = None) -> bool:
        cle = self.make_and_validate_key(key, version=version)
        curseur = self._connexion().execute("DELETE FROM compteurs WHERE cle = ?", (cle,))
        return curseur.rowcount == 1

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self.get(key, version=version) is not None

    def clear(self) -> None:
        self._connexion().execute("DELETE FROM compteurs")
