import pytest


@pytest.fixture(autouse=True)
def _acces_base(db):
    """The reference data lives in the database (loaded by migration): every test may read it."""
