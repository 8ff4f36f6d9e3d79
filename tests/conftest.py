from collections.abc import Iterator
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parent / "core"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The reference data lives in the database (loaded by migration): tests get the test
    database, marked at collection so that pytest-django always creates it — except the
    pure ones of tests/core (no database: they run in seconds) and the browser and server
    tests, which talk to their own server process and database."""
    for item in items:
        if CORE in Path(str(item.fspath)).parents:
            continue
        if (
            item.get_closest_marker("browser") is None
            and item.get_closest_marker("serveur") is None
            and item.get_closest_marker("django_db") is None
        ):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(autouse=True)
def _referentiel_neuf(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test rolls its database changes back: the in-memory snapshot of the reference
    tables must not outlive them."""
    if (
        request.node.get_closest_marker("browser") is not None
        or request.node.get_closest_marker("serveur") is not None
        or CORE in Path(str(request.node.fspath)).parents
    ):
        yield
        return
    from django.core.cache import caches

    from rules.catalogue import donnees_modifiees

    donnees_modifiees()
    # Each test starts with no client counted (the pages are limited per client too).
    caches["limites"].clear()
    yield
    donnees_modifiees()


@pytest.fixture(autouse=True)
def _fenetre_de_limite_figee(monkeypatch: pytest.MonkeyPatch) -> None:
    """django-ratelimit counts per fixed window of a minute: a test whose calls straddle a
    minute boundary saw its counter start again (a flaky 200 instead of 429). Its clock is
    frozen within a window for every test; the counters' own expiry keeps real time."""
    import types

    from django_ratelimit import core

    monkeypatch.setattr(core, "time", types.SimpleNamespace(time=lambda: 1_800_000_030.0))


@pytest.fixture
def admin_client() -> object:
    """A logged-in superuser « urps », for the admin pages (one definition for every test)."""
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(
        User.objects.create_superuser("urps", "urps@example.org", "mot-de-passe-solide-42")
    )
    return client
