"""Several people doing the same thing at the same moment: each in their own thread, with their
own database connection and their own browser session, released together by a barrier.

The tests that use this need ``transactional_db`` (each request commits, as in production). On
PostgreSQL (``.ci/run``) the requests really overlap inside the database; on SQLite they queue
for the write lock, and the same answers are expected.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client

from peerlearn.users.models import User


def at_once(actions: list[Callable[[], Any]], timeout: float = 120.0) -> list[Any]:
    """Run every action in its own thread, all released at the same moment; the results in
    order (an exception is returned, not raised)."""
    start = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            start.wait(timeout)
            results[index] = action()
        except BaseException as error:  # handed to the test, which reports it
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a request did not finish"
    return results


def signed_in(user: User) -> Client:
    """A browser session of ``user`` that answers a server error with a 500 page (as in
    production) instead of raising it in the test."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def posts_at_once(user: User, url: str, data: dict[str, Any], count: int = 8) -> list[Any]:
    """``count`` identical form posts by ``user``, each from its own session, at once."""
    clients = [signed_in(user) for _ in range(count)]
    return at_once([lambda c=client: c.post(url, data) for client in clients])
