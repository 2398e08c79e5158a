"""Instance generators and checks shared by the engine tests."""

from __future__ import annotations

import math
import random
from collections import Counter

from matching.engine import MatchingResult, Options, Peer, check_groups
from matching.engine.features import norm


def planted_instance(
    n_groups: int, seed: int, *, fives: int = 0, noise: int = 2
) -> tuple[list[Peer], list[list[str]]]:
    """Peers whose only shared themes come from a planted grouping.

    ``n_groups`` planted groups of six (``fives`` of them of five); each planted group is cut
    into cliques of two or three peers, and each clique has a private theme. Every peer also
    has ``noise`` themes nobody else has. So a grouping without any isolated peer exists
    (the planted one), and it needs every clique kept whole. Peers are shuffled and every
    peer has its own organisation.
    """
    rng = random.Random(seed)
    peers: list[Peer] = []
    planted: list[list[str]] = []
    clique_no = 0
    pid = 0
    for g in range(n_groups):
        size = 5 if g < fives else 6
        cuts = {5: [(2, 3), (3, 2)], 6: [(3, 3), (2, 2, 2), (2, 2, 2)]}[size]
        members: list[str] = []
        for clique in rng.choice(cuts):
            clique_no += 1
            for _ in range(clique):
                pid += 1
                themes = [f"Clique theme {clique_no}"]
                themes += [f"Own theme {pid}-{k}" for k in range(noise)]
                rng.shuffle(themes)
                peers.append(
                    Peer(
                        id=f"q{pid:03d}",
                        name=f"Q{pid}",
                        country=f"Country {pid % 7}",
                        organisation=f"Org {pid}",
                        themes=tuple(themes),
                    )
                )
                members.append(f"q{pid:03d}")
        planted.append(members)
    rng.shuffle(peers)
    return peers, planted


def distinct_orgs(peers: list[Peer]) -> list[Peer]:
    """The same peers, each with an organisation of their own."""
    return [Peer(**{**p.to_dict(), "organisation": f"Own org {p.id}"}) for p in peers]


def org_instance(n: int, seed: int, n_orgs: int) -> list[Peer]:
    """n peers over n_orgs organisations (skewed sizes), a few themes each."""
    rng = random.Random(seed)
    peers = []
    for i in range(n):
        org = min(int(rng.expovariate(1.0) * n_orgs / 3), n_orgs - 1)
        themes = rng.sample([f"T{k}" for k in range(8)], 3)
        peers.append(
            Peer(id=f"p{i}", organisation=f"Org {org}", country=f"C{i % 5}", themes=tuple(themes))
        )
    return peers


def assert_sizes(result: MatchingResult, n: int, lo: int, hi: int) -> None:
    sizes = [g.size for g in result.groups]
    assert sum(sizes) == n
    assert all(lo <= s <= hi for s in sizes), sizes


def size_feasible(n: int, lo: int, hi: int) -> bool:
    return any(g * lo <= n <= g * hi for g in range(1, n + 1))


def groups_of(result: MatchingResult) -> dict[str, tuple[str, ...]]:
    return {g.label: g.members for g in result.groups}


def org_duplicates(result: MatchingResult, peers: list[Peer]) -> int:
    by_id = {p.id: p for p in peers}
    dup = 0
    for g in result.groups:
        counts = Counter(norm(by_id[m].organisation) for m in g.members)
        dup += sum(c - 1 for k, c in counts.items() if k and c > 1)
    return dup


def independent_violations(result: MatchingResult, peers: list[Peer], options: Options) -> list:
    return check_groups(peers, groups_of(result), options)


def fewest_groups(n: int, hi: int) -> int:
    return math.ceil(n / hi)


def planted_language_instance(
    languages: list[str], seed: int, *, fives: int = 0, extra: float = 0.3
) -> list[Peer]:
    """One planted group per entry of ``languages`` (of six, ``fives`` of them of five):
    its members all work in that language, and each may also work in one more language
    (probability ``extra``), which makes bridges between communities. Every peer has their
    own organisation and three random themes of twelve. A grouping in which every group shares
    a language therefore exists (the planted one); the peers are shuffled."""
    rng = random.Random(seed)
    pool = sorted(set(languages) | {"en", "fr", "ru", "pt", "es"})
    themes = [f"T{k}" for k in range(12)]
    peers: list[Peer] = []
    pid = 0
    for g, language in enumerate(languages):
        for _ in range(5 if g < fives else 6):
            pid += 1
            spoken = [language]
            if rng.random() < extra:
                spoken.append(rng.choice([x for x in pool if x != language]))
            peers.append(
                Peer(
                    id=f"l{pid:03d}",
                    name=f"L{pid}",
                    organisation=f"Org {pid}",
                    country=f"Country {pid % 9}",
                    languages=tuple(spoken),
                    themes=tuple(rng.sample(themes, 3)),
                )
            )
    rng.shuffle(peers)
    return peers


def language_breaches(result: MatchingResult, peers: list[Peer]) -> list:
    return [
        i
        for i in check_groups(peers, groups_of(result), result.options)
        if i.constraint == "language"
    ]
