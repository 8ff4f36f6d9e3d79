"""Cache backends for the limiter's counters (django-ratelimit): atomic, shared.

django-ratelimit needs a cache that every worker shares and that increments atomically
(its documentation names Redis and Memcached). Django's database cache is neither atomic
(its ``incr`` reads then writes: concurrent calls lose counts) nor cheap (several queries
a call halved the API's throughput). Both backends here keep the counters in one table
and change them in one statement a call, atomic because the database serialises writers:

- ``CompteursSQLite``: a small SQLite file on the host's local disk, in WAL mode, shared
  by the gunicorn workers of the host (the embedded default: nothing to deploy);
- ``CompteursBase``: the main database (PostgreSQL in production), shared by every
  container behind the load balancer (``LIMITES_STOCKAGE=base``).

Counters only: values are integers. A counter lives a minute: a lost one costs nothing.
django-ratelimit calls ``add`` then, when the counter exists, ``incr``: each process
remembers the counters it knows alive, so that a call costs one statement, not two
(a remembered counter deleted meanwhile makes ``incr`` fail: the process forgets it,
the request is not counted, the next one creates it again).
A failing store raises: the limiter lets the request through and logs it
(simulator.limits).
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
# A counter another process created: believed alive this long without asking again.
VIVANT_SANS_DEMANDER = 1.0
TABLE = "simulateur_compteurs"


class _Compteurs(BaseCache):
    """The statements, shared; each backend says how it runs one (``?`` placeholders)."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self._ajouts = 0
        self._vivants: dict[str, float] = {}  # key → until when it is known alive

    def _executer(self, sql: str, parametres: tuple[Any, ...]) -> tuple[int, Any]:
        """Run one statement: (rows changed, first row or None)."""
        raise NotImplementedError

    def _expiration(self, timeout: Any) -> float:
        """The expiry as a Unix time (Django's get_backend_timeout), never for None."""
        echeance = self.get_backend_timeout(timeout)
        return float("inf") if echeance is None else float(echeance)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        """Create the counter unless a live one exists (an expired one is replaced)."""
        cle = self.make_and_validate_key(key, version=version)
        maintenant = time.time()
        if self._vivants.get(cle, 0.0) > maintenant:
            return False
        expiration = self._expiration(timeout)
        changees, _ = self._executer(
            f"INSERT INTO {TABLE} (cle, valeur, expire) VALUES (?, ?, ?) ON CONFLICT (cle) "
            f"DO UPDATE SET valeur = excluded.valeur, expire = excluded.expire "
            f"WHERE {TABLE}.expire <= ?",
            (cle, int(value), expiration, maintenant),
        )
        ajoute = changees == 1
        self._vivants[cle] = expiration if ajoute else maintenant + VIVANT_SANS_DEMANDER
        if ajoute:
            self._ajouts += 1
            if self._ajouts % NETTOYAGE_TOUS_LES == 0:
                self._executer(f"DELETE FROM {TABLE} WHERE expire <= ?", (maintenant,))
                self._vivants = {c: e for c, e in self._vivants.items() if e > maintenant}
        return ajoute

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        cle = self.make_and_validate_key(key, version=version)
        _, ligne = self._executer(
            f"UPDATE {TABLE} SET valeur = valeur + ? WHERE cle = ? AND expire > ? RETURNING valeur",
            (delta, cle, time.time()),
        )
        if ligne is None:
            self._vivants.pop(cle, None)
            raise ValueError(f"Key '{key}' not found")
        return int(ligne[0])

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        cle = self.make_and_validate_key(key, version=version)
        _, ligne = self._executer(
            f"SELECT valeur FROM {TABLE} WHERE cle = ? AND expire > ?", (cle, time.time())
        )
        return default if ligne is None else ligne[0]

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        cle = self.make_and_validate_key(key, version=version)
        expiration = self._expiration(timeout)
        self._executer(
            f"INSERT INTO {TABLE} (cle, valeur, expire) VALUES (?, ?, ?) ON CONFLICT (cle) "
            "DO UPDATE SET valeur = excluded.valeur, expire = excluded.expire",
            (cle, int(value), expiration),
        )
        self._vivants[cle] = expiration

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        cle = self.make_and_validate_key(key, version=version)
        changees, _ = self._executer(
            f"UPDATE {TABLE} SET expire = ? WHERE cle = ? AND expire > ?",
            (self._expiration(timeout), cle, time.time()),
        )
        return changees == 1

    def delete(self, key: Any, version: int | None = None) -> bool:
        cle = self.make_and_validate_key(key, version=version)
        self._vivants.pop(cle, None)
        changees, _ = self._executer(f"DELETE FROM {TABLE} WHERE cle = ?", (cle,))
        return changees == 1

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self.get(key, version=version) is not None

    def clear(self) -> None:
        self._vivants.clear()
        self._executer(f"DELETE FROM {TABLE}", ())


class CompteursSQLite(_Compteurs):
    """Counters in a SQLite file of the host, shared by its worker processes."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(location, params)
        self.chemin = location
        self._local = threading.local()

    def _connexion(self) -> sqlite3.Connection:
        """One connection per thread and per process (gunicorn forks after import), opened
        again when the file was deleted or replaced: every process must count in the same
        file, never in a deleted one only it still sees."""
        connexion: sqlite3.Connection | None = getattr(self._local, "connexion", None)
        try:
            fichier = os.stat(self.chemin)
            identite: tuple[int, int] | None = (fichier.st_dev, fichier.st_ino)
        except FileNotFoundError:
            identite = None
        if (
            connexion is None
            or self._local.pid != os.getpid()
            or identite is None
            or identite != self._local.identite
        ):
            if connexion is not None and self._local.pid == os.getpid():
                connexion.close()
            connexion = sqlite3.connect(self.chemin, timeout=10, isolation_level=None)
            connexion.execute("PRAGMA journal_mode=WAL")
            # A counter lost in a power cut costs nothing: no fsync per call.
            connexion.execute("PRAGMA synchronous=OFF")
            connexion.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} (cle TEXT PRIMARY KEY, "
                "valeur INTEGER NOT NULL, expire REAL NOT NULL) WITHOUT ROWID"
            )
            fichier = os.stat(self.chemin)
            self._local.connexion, self._local.pid = connexion, os.getpid()
            self._local.identite = (fichier.st_dev, fichier.st_ino)
        return connexion

    def _executer(self, sql: str, parametres: tuple[Any, ...]) -> tuple[int, Any]:
        curseur = self._connexion().execute(sql, parametres)
        ligne = curseur.fetchone()
        return curseur.rowcount, ligne


class CompteursBase(_Compteurs):
    """Counters in the main database (table created by simulator's migration), shared
    by every container: one statement a call, in the request's connection."""

    def _executer(self, sql: str, parametres: tuple[Any, ...]) -> tuple[int, Any]:
        from django.db import connection

        with connection.cursor() as curseur:
            curseur.execute(sql.replace("?", "%s"), parametres)
            ligne = curseur.fetchone() if curseur.description else None
            return curseur.rowcount, ligne
