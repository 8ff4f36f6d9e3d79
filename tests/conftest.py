import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django import DjangoDbBlocker

CORE = Path(__file__).resolve().parent / "core"


@pytest.fixture(scope="session")
def base_reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tables and the shipped reference data in a SQLite file, built once per run
    (migrate + load_reference) and copied by the test database and each test server."""
    from scripts.serveur_local import base_reference_construire

    return base_reference_construire(tmp_path_factory.mktemp("reference") / "reference.sqlite3")


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: DjangoDbBlocker,
) -> Iterator[None]:
    """The test database, with the reference data (pytest-django's own, filled once).

    SQLite: a copy of ``base_reference``, kept as is by Django (keepdb: its migrate finds
    nothing to apply). PostgreSQL: Django's test database, then load_reference once."""
    import shutil

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    sqlite = connection.vendor == "sqlite"
    if sqlite:
        base: Path = request.getfixturevalue("base_reference")
        copie = base.with_name("tests.sqlite3")
        shutil.copyfile(base, copie)
        connection.settings_dict["TEST"]["NAME"] = str(copie)
    # Django serializes a whole database for the tests that ask to restore it
    # (serialized_rollback): 140 000 rows, 15 s here. None of ours does; pytest-django's
    # own fixture passes the same set.
    restaures = {
        alias
        for item in request.session.items
        if (marque := item.get_closest_marker("django_db")) is not None
        and marque.kwargs.get("serialized_rollback")
        for alias in (marque.kwargs.get("databases") or ["default"])
    }
    with django_db_blocker.unblock():
        configuration = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            keepdb=sqlite,
            serialized_aliases=restaures,
        )
        if not sqlite:
            call_command("load_reference", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        teardown_databases(configuration, verbosity=request.config.option.verbose, keepdb=sqlite)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The reference data lives in the database (loaded by load_reference): tests get the test
    database, marked at collection so that pytest-django always creates it — except the
    pure ones of tests/core (no database: they run in seconds) and the browser and server
    tests, which talk to their own server process and database.

    Marked ``slow`` as well: every browser and server test and every property-based test
    (hypothesis draws dozens of examples), so that ``pytest -m "not slow"`` is a quick
    loop."""
    for item in items:
        if (
            item.get_closest_marker("browser") is not None
            or item.get_closest_marker("serveur") is not None
            or getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
        ):
            item.add_marker(pytest.mark.slow)
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
