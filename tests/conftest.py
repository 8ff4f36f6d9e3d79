from collections.abc import Iterator

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The reference data lives in the database (loaded by migration): every test gets the
    test database, marked at collection so that pytest-django always creates it. Browser
    tests talk to their own server process and database instead."""
    for item in items:
        if (
            item.get_closest_marker("browser") is None
            and item.get_closest_marker("django_db") is None
        ):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(autouse=True)
def _referentiel_neuf(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test rolls its database changes back: the in-memory snapshot of the reference
    tables must not outlive them."""
    if request.node.get_closest_marker("browser") is not None:
        yield
        return
    from rules.facts import donnees_modifiees

    donnees_modifiees()
    yield
    donnees_modifiees()
