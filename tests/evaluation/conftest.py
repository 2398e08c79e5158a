"""Built-in instruments come from a data migration; a transactional test elsewhere in the suite
may have flushed them, so they are loaded again (idempotently) before each test here."""

import pytest

from evaluation.builtin import ensure_builtin_instruments


@pytest.fixture(autouse=True)
def _builtin_instruments(db: None) -> None:
    ensure_builtin_instruments()
