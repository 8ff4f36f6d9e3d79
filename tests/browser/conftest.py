"""Real servers for the browser tests: gunicorn on 127.0.0.1, each on its own copy of the
reference database built once per run (tests/conftest.py)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from scripts.serveur_local import ARGUMENTS_CHROMIUM, CHROMIUM, serveur_local


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"Chromium introuvable ({CHROMIUM}) : CI doit l'installer.")
    saut = pytest.mark.skip(reason=f"Chromium introuvable ({CHROMIUM}) : apt-get install chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(saut)


@pytest.fixture(scope="session")
def serveur(tmp_path_factory: pytest.TempPathFactory, base_reference: Path) -> Iterator[str]:
    base = tmp_path_factory.mktemp("serveur") / "navigateur.sqlite3"
    with serveur_local(database_url=f"sqlite:///{base}", modele=base_reference) as url:
        yield url


@pytest.fixture(scope="session")
def serveur_debug(tmp_path_factory: pytest.TempPathFactory, base_reference: Path) -> Iterator[str]:
    """The same site with DEBUG on, on its own copy of the reference database."""
    base = tmp_path_factory.mktemp("debug") / "debug.sqlite3"
    with serveur_local(
        database_url=f"sqlite:///{base}", modele=base_reference, env_extra={"DJANGO_DEBUG": "1"}
    ) as url:
        yield url


@pytest.fixture(scope="module")
def navigateur() -> Iterator[object]:
    """Module-scoped: Playwright's event loop must be gone before database tests run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTS_CHROMIUM)
        yield chromium
        chromium.close()


@contextmanager
def onglet(navigateur: Any, **options: Any) -> Iterator[Any]:
    """A French browser tab in a context of its own (viewport, JavaScript…), closed after."""
    contexte = navigateur.new_context(locale="fr-FR", **options)
    try:
        page = contexte.new_page()
        page.set_default_timeout(10_000)
        yield page
    finally:
        contexte.close()


@pytest.fixture
def page(navigateur: Any) -> Iterator[Any]:
    with onglet(navigateur, viewport={"width": 1280, "height": 900}) as page:
        yield page


@pytest.fixture
def page_sans_js(navigateur: Any) -> Iterator[Any]:
    with onglet(navigateur, java_script_enabled=False) as page:
        yield page


@pytest.fixture
def telephone(navigateur: Any) -> Iterator[Any]:
    """A 360 px phone, JavaScript on (the consultation's and the hesitations' tests)."""
    with onglet(navigateur, viewport={"width": 360, "height": 740}) as page:
        yield page
