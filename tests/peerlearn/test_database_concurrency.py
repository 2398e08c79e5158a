"""Several people writing at once: no request fails with "database is locked" (SQLite) and no
write is lost (SQLite and PostgreSQL alike)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from programmes.models import Organisation

WRITERS = 8
WRITES_EACH = 15


def test_settings_ask_sqlite_for_wal_immediate_transactions_and_a_busy_timeout() -> None:
    options = connection.settings_dict["OPTIONS"]
    if connection.vendor != "sqlite":
        pytest.skip("SQLite options only")
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


@pytest.mark.django_db(transaction=True)
def test_parallel_read_then_write_transactions_all_succeed() -> None:
    """Each writer reads, then writes, inside one transaction: the pattern of a form save.

    On SQLite with deferred transactions two such writers deadlock and one gets "database is
    locked" at once, whatever the busy timeout; immediate transactions queue them instead.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0].lower() == "wal"
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            start.wait()
            for write in range(WRITES_EACH):
                with transaction.atomic():
                    seen = Organisation.objects.filter(country="GH").count()
                    Organisation.objects.create(
                        name=f"Writer {number} ministry {write} after {seen}", country="GH"
                    )
        except BaseException as error:  # collected and reported by the main thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert Organisation.objects.filter(country="GH").count() == WRITERS * WRITES_EACH
