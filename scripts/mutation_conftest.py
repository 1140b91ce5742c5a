"""The conftest of a mutation run's copy of the project (scripts/mutation.py links it in as `conftest.py`).

mutmut runs pytest once per mutant. pytest-django would check the test database's migrations each time (about two
seconds, more than most mutants' tests take); the run's database is migrated once before mutmut starts, so each
run uses it as it is. Every test it runs rolls back (no transactional tests are picked), so it stays clean.
"""

import pytest


@pytest.fixture(scope="session")
def django_db_setup():
    """The database named by DATABASE_URL, already migrated by scripts/mutation.py."""
