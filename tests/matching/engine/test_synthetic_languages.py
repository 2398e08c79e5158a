"""Synthetic language instances: bilingual peers within the network link two communities."""

from __future__ import annotations

from matching.engine.synthetic import language_peers

MIX = {"en": 0.5, "fr": 0.3, "ru": 0.2}


def test_bilingual_peers_within_the_network_work_in_two_of_its_languages() -> None:
    peers = language_peers(400, seed=7, mix=MIX, bilingual=0.4, within_network=True)
    bilingual = [p for p in peers if len(p.languages) == 2]
    assert 100 < len(bilingual) < 220
    for p in peers:
        assert set(p.languages) <= set(MIX) and len(set(p.languages)) == len(p.languages)


def test_by_default_some_second_languages_lie_outside_the_network() -> None:
    peers = language_peers(400, seed=7, mix=MIX, bilingual=0.4)
    outside = [p for p in peers if set(p.languages) - set(MIX)]
    assert outside
    # The first languages (and so the communities) are the same either way.
    network = language_peers(400, seed=7, mix=MIX, bilingual=0.4, within_network=True)
    assert [p.languages[0] for p in peers] == [p.languages[0] for p in network]
