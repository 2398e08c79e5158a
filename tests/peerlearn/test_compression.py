"""Pages are sent compressed to browsers that accept it, and plain to those that do not."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client

from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_html_pages_are_gzip_compressed_when_accepted(world: World, client: Client) -> None:
    client.force_login(world.facilitator)
    url = f"/programmes/{world.programme.pk}/"
    compressed = client.get(url, headers={"accept-encoding": "gzip, deflate"})
    assert compressed.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    html = gzip.decompress(compressed.content).decode()
    assert world.programme.name in html
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    assert world.programme.name in plain.content.decode()
