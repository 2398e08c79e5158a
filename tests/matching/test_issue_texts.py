"""The rule breaches a facilitator meets on the review page, and the warnings of a move, are
written in the page's language from the engine's codes and params, with the people's names."""

from __future__ import annotations

import pytest
from django.utils import translation

from matching.engine.check import check_groups, check_move
from matching.engine.models import Constraints, Options, Peer
from matching.issues import ISSUES, readable_issue

PEERS = [
    Peer(id="a", name="Ana", country="SN", organisation="Treasury", languages=("fr",)),
    Peer(id="b", name="Boris", country="SN", organisation="Audit", languages=("fr",)),
    Peer(id="c", name="Chen", country="KE", organisation="Budget", languages=("fr",)),
    Peer(id="d", name="Dora", country="KE", organisation="Treasury", languages=("fr",)),
    Peer(id="e", name="Emil", country="SN", organisation="Revenue", languages=("fr",)),
    Peer(id="f", name="Fatou", country="ML", organisation="Debt", languages=("fr",)),
]
GROUPS = {"1": ["a", "b", "c"], "2": ["d", "e", "f"]}


def _options(**constraints: object) -> Options:
    return Options(min_size=1, max_size=6, constraints=Constraints(**constraints))  # type: ignore[arg-type]


CASES = {
    "country": (_options(max_per_country=2), "e", "1"),
    "keep apart": (_options(keep_apart=(("a", "e"),)), "e", "1"),
    "keep together": (_options(keep_together=(("e", "f"),)), "e", "1"),
    "locked": (_options(locked={"e": "2"}), "e", "1"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_warning_of_a_move_and_each_breach_is_translated(case: str) -> None:
    options, peer, target = CASES[case]
    move = check_move(PEERS, GROUPS, peer, target, options)
    assert move.issues, f"moving {peer} breaks no {case} rule"
    after = {label: [p for p in members if p != peer] for label, members in GROUPS.items()}
    after[target].append(peer)
    breaches = [i for i in check_groups(PEERS, after, options) if i.kind == "violation"]
    assert breaches, f"the grouping after the move breaks no {case} rule"
    for issue in [*move.issues, *breaches]:
        data = issue.to_dict()
        assert data["code"] in ISSUES, data["code"]
        with translation.override("en"):
            english = readable_issue(data)
        with translation.override("fr"):
            french = readable_issue(data)
        assert "Emil" in english and "Emil" in french
        assert french != english, french
