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
