import pytest


@pytest.fixture(autouse=True)
def _acces_base(request: pytest.FixtureRequest) -> None:
    """The reference data lives in the database (loaded by migration): tests may read it.

    Browser tests talk to their own server process and database instead.
    """
    if request.node.get_closest_marker("browser") is None:
        request.getfixturevalue("db")
