"""The search's incremental bookkeeping and move deltas agree with from-scratch values."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.engine import Constraints, Options, Peer, group_score
from matching.engine.prepare import prepare
from matching.engine.search import EPS, Search
from matching.engine.synthetic import make_peers


def instance(n: int, seed: int) -> tuple[list[Peer], Options]:
    rng = random.Random(seed)
    peers = make_peers(n, seed=seed, n_themes=6, n_countries=4, org_ratio=0.4)
    if rng.random() < 0.6:
        # Working languages (some peers give none) and stages for the balancing rule.
        peers = [
            Peer(
                **{
                    **p.to_dict(),
                    "languages": rng.choice(["en", "fr", "en;fr", "ru", "ru;en", ""]),
                    "stage": rng.choice(["Exploring", "Piloting", ""]),
                }
            )
            for p in peers
        ]
    ids = [p.id for p in peers]
    apart = tuple(tuple(rng.sample(ids, 3)) for _ in range(2))
    together = (tuple(rng.sample(ids, 2)),)
    strategy = rng.choice(["problem", "role", "hybrid"])
    options = Options(
        strategy=strategy,  # type: ignore[arg-type]
        weights={"problem": 1.0, "role": 0.5, "context": 0.25} if strategy == "hybrid" else None,
        constraints=Constraints(max_per_country=2, keep_apart=apart, keep_together=together),
        seed=seed,
    )
    return peers, options


def assert_consistent(s: Search) -> None:
    fs = s.pb.fs
    total = iso = viol = 0.0
    for g in range(s.G):
        members = [p for u in s.gunits[g] for p in s.pb.units[u]]
        counts: dict[int, int] = {}
        for p in members:
            for f in fs.peer_features[p]:
                counts[f] = counts.get(f, 0) + 1
        assert s.gfc[g] == counts
        assert s.gsize[g] == len(members)
        score, _norm, isolated = group_score(fs, members)
        assert abs(s.gscore[g] - score) < 1e-6
        assert s.giso[g] == len(isolated) == s._group_iso(g)
        assert s.gviol[g] == s._group_viol(g)
        # Language counters: per language, the constrained members who work in it.
        langs: dict[int, int] = {}
        for p in members:
            for x in s.pb.lang[p]:
                langs[x] = langs.get(x, 0) + 1
        assert s.glang[g] == langs
        assert s.gspk[g] == sum(1 for p in members if s.pb.lang[p])
        if s.use_lang:
            common = s.gcommon[g]
            for x, groups in s.lang_groups.items():
                assert (g in groups) == (common is not None and x in common)
            assert (g in s.open_groups) == (common is None or s.glx[g] > 0)
        total += score
        iso += len(isolated)
        viol += s.gviol[g]
    assert abs(s.total - total) < 1e-6 and s.iso == iso and s.viol == viol
    assert s.lang_excess_total == sum(s.glx)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(8, 40), seed=st.integers(0, 10_000))
def test_deltas_match_applied_moves(n: int, seed: int) -> None:
    peers, options = instance(n, seed)
    s = Search(prepare(peers, options), seed=seed)
    s.construct()
    assert_consistent(s)
    rng = random.Random(seed)
    movable = [u for u in range(s.n_units) if s.movable[u]]
    for _ in range(30):
        if s.G < 2 or not movable:
            break
        u = rng.choice(movable)
        g = s.ug[u]
        h = rng.choice([x for x in range(s.G) if x != g])
        before = s.key()
        others = [v for v in s.gunits[h] if s.movable[v]]
        if others and rng.random() < 0.6:
            v = rng.choice(others)
            dv = s._viol_delta_swap(u, g, v, h)
            di = s._iso_after(g, u, v) - s.giso[g] + s._iso_after(h, v, u) - s.giso[h]
            s.apply_swap(u, g, v, h)
        else:
            dv = s._viol_delta_move(u, g, h)
            di = s._iso_after(g, u, -1) - s.giso[g] + s._iso_after(h, -1, u) - s.giso[h]
            s.apply_move(u, g, h)
        after = s.key()
        assert after[0] - before[0] == dv
        assert after[1] - before[1] == di
        assert_consistent(s)


@settings(max_examples=10, deadline=None)
@given(n=st.integers(12, 60), seed=st.integers(0, 10_000))
def test_search_keeps_state_consistent_and_never_worsens(n: int, seed: int) -> None:
    peers, options = instance(n, seed)
    s = Search(prepare(peers, options), seed=seed)
    s.construct()
    start = s.key()
    s.improve(20_000, 200)
    assert_consistent(s)
    end = s.key()
    assert end[:2] <= start[:2]
    if end[:2] == start[:2]:
        assert end[2] <= start[2] + EPS
    # Re-splitting two groups exhaustively keeps the bookkeeping right too, and so does the
    # language repair.
    for g in range(min(s.G - 1, 4)):
        s._recombine(g, g + 1)
        assert_consistent(s)
    before = s.key()
    s.repair_languages(random.Random(seed))
    assert_consistent(s)
    assert s.key() <= before
