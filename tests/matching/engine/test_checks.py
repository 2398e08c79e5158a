"""check_move, check_grouping and check_options: named, structured issues before a move, before
publication and before a run."""

from __future__ import annotations

import random

import pytest

from matching.engine import (
    Constraints,
    Options,
    Peer,
    check_grouping,
    check_move,
    check_options,
)


def p(pid: str, **fields: object) -> Peer:
    data: dict[str, object] = {
        "id": pid,
        "name": pid.upper(),
        "organisation": f"org-{pid}",
        "languages": "en",
        "themes": "Budgets",
    }
    data.update(fields)
    return Peer(**data)  # type: ignore[arg-type]


PEERS = [
    p("ana", name="Ana Silva", organisation="17", organisation_name="Ministry of Finance"),
    p("ben", name="Ben Okafor", organisation="17", organisation_name="Ministry of Finance"),
    p("cy"),
    p("dee"),
    p("eve"),
    p("fay"),
    p("gus", name="Gus", languages="ru"),
    p("hal"),
    p("ivy"),
    p("jo"),
    p("kim"),
]
GROUPS = {
    "G1": ["ana", "cy", "dee", "eve", "fay"],
    "G2": ["ben", "hal", "ivy", "jo", "kim"],
}


def test_move_into_a_colleagues_group_names_both_and_the_organisation() -> None:
    groups = {**GROUPS, "G2": [*GROUPS["G2"]]}
    check = check_move(PEERS, groups, "ana", "G2", Options())
    codes = [i.code for i in check.violations]
    assert "move_organisation_twice" in codes
    issue = next(i for i in check.violations if i.code == "move_organisation_twice")
    assert issue.message == (
        "Ana Silva would join Ben Okafor from the same organisation, Ministry of Finance, "
        "in group G2."
    )
    assert "17" not in issue.message
    assert issue.params["organisation"] == "Ministry of Finance"
    assert not check.ok
    # G1 is left with four: below the minimum, named too.
    small = next(i for i in check.violations if i.code == "move_size_min")
    assert small.message == "Group G1 would have 4 peers. The minimum is 5."
    assert check.from_group == "G1" and check.to_group == "G2"


def test_move_into_a_group_without_a_common_language() -> None:
    peers = [*PEERS[:6], p("gus", name="Gus", languages="ru"), *PEERS[7:]]
    groups = {"G1": ["ana", "cy", "dee", "eve", "fay", "gus"], "G2": GROUPS["G2"]}
    check = check_move(peers, groups, "gus", "G2", Options())
    assert [i.code for i in check.violations] == ["move_language_none"]
    message = check.violations[0].message
    assert message == (
        "Gus (Russian) would share no working language with group G2 (its members work in English)."
    )
    # The same move with the rule turned off is fine.
    off = Options(constraints=Constraints(common_language=False))
    assert check_move(peers, groups, "gus", "G2", off).ok


def test_a_move_that_breaks_nothing_is_ok_and_old_breaches_are_not_repeated() -> None:
    peers = [*PEERS[:6], p("gus"), *PEERS[7:]]
    groups = {
        "G1": ["ana", "ben", "cy", "dee", "eve", "fay"],
        "G2": ["gus", "hal", "ivy", "jo", "kim"],
    }
    # G1 already holds two peers of one organisation; moving cy does not add to that.
    check = check_move(peers, groups, "cy", "G2", Options())
    assert check.ok, check.text
    assert check.issues == ()
    # Moving ben out repairs it: still nothing to warn about.
    assert check_move(peers, groups, "ben", "G2", Options()).ok


def test_move_against_keep_apart_and_lock_is_named() -> None:
    peers = [*PEERS[:6], p("gus"), *PEERS[7:]]
    options = Options(constraints=Constraints(keep_apart=(("cy", "hal"),), locked={"cy": "G1"}))
    check = check_move(peers, GROUPS | {"G1": [*GROUPS["G1"], "gus"]}, "cy", "G2", options)
    codes = {i.code for i in check.violations}
    assert {"move_keep_apart_shared", "move_locked_elsewhere"} <= codes
    apart = next(i for i in check.violations if i.code == "move_keep_apart_shared")
    assert apart.message == "CY must be kept apart from HAL, who is in group G2."


def test_check_grouping_before_publication() -> None:
    peers = [*PEERS[:6], p("gus", themes="Gardening"), *PEERS[7:]]
    groups = {"G1": ["ana", "cy", "dee", "eve"], "G2": ["ben", "gus", "hal", "ivy", "jo"]}
    check = check_grouping(peers, groups, Options())
    codes = [i.code for i in check.violations]
    assert "size_min" in codes  # G1 has 4
    assert "no_group" in codes  # fay and kim are in no group
    assert check.unplaced == ("fay", "kim")
    assert not check.ok
    lonely = [i for i in check.issues if i.code == "no_shared_theme"]
    assert lonely and lonely[0].peers == ("gus",) and lonely[0].kind == "note"
    ok = check_grouping(
        peers[:5] + peers[6:11],
        {"A": ["ana", "cy", "dee", "eve", "hal"], "B": ["ben", "ivy", "jo", "kim", "gus"]},
        Options(),
    )
    assert ok.ok and ok.unplaced == ()
    closed = Options(constraints=Constraints(locked={"ana": "A"}, closed=("A",)))
    assert not any(
        i.code == "size_min" for i in check_grouping(peers[:1], {"A": ["ana"]}, closed).issues
    )


def test_check_options_validates_keep_together_and_apart_before_a_run() -> None:
    peers = [p(f"p{i}") for i in range(20)]
    options = Options(
        constraints=Constraints(
            keep_together=(tuple(f"p{i}" for i in range(8)), ("p10", "p11")),
            keep_apart=(("p10", "p11"),),
            locked={"p12": "A", "p13": "B"},
        )
    )
    report = check_options(peers, options)
    codes = {i.code for i in report.issues}
    assert "keep_together_over_max" in codes
    assert "apart_in_unit" in codes
    over = next(i for i in report.issues if i.code == "keep_together_over_max")
    assert over.params["count"] == 8 and over.params["max_size"] == 6
    both = next(i for i in report.issues if i.code == "apart_in_unit")
    assert both.params["names"] == ["P10", "P11"]
    locks = check_options(
        peers,
        Options(
            constraints=Constraints(
                keep_together=(("p12", "p13"),), locked={"p12": "A", "p13": "B", "zz": "A"}
            )
        ),
    )
    codes = {i.code for i in locks.issues}
    assert {"keep_together_locks", "unknown_peer"} <= codes
    assert check_options(peers, Options()).issues == ()


def test_reports_name_organisations_not_their_keys() -> None:
    colleagues = [
        p(f"m{i}", organisation="17", organisation_name="Ministry of Finance") for i in range(3)
    ]
    peers = colleagues + [p(f"x{i}") for i in range(7)]
    report = check_options(peers, Options())
    over = next(i for i in report.issues if i.code == "organisation_over_groups")
    assert over.params["organisation"] == "Ministry of Finance"
    assert '"Ministry of Finance" has 3 peers' in over.message
    assert "17" not in over.message


def _random_grouping(seed: int, *, pairs: bool) -> tuple[list[Peer], dict[str, list[str]], Options]:
    rng = random.Random(seed)
    peers = [
        p(
            f"p{i:02d}",
            organisation=f"org-{rng.randrange(8)}",
            country=rng.choice(["GH", "KE", "AL"]),
            languages=rng.choice(["en", "fr", "en;fr", "ru", "en;ru"]),
            themes=";".join(rng.sample(["Budgets", "Payroll", "Audit", "Tax"], 2)),
        )
        for i in range(31)
    ]
    ids = [peer.id for peer in peers]
    rng.shuffle(ids)
    groups: dict[str, list[str]] = {}
    while ids:
        size = rng.choice([2, 3] if pairs else [3, 4, 5, 6, 7])
        groups[f"G{len(groups) + 1:02d}"] = [ids.pop() for _ in range(min(size, len(ids)))]
    everyone = [peer.id for peer in peers]
    options = Options(
        pairs=pairs,
        constraints=Constraints(
            keep_together=tuple(tuple(rng.sample(everyone, rng.choice([2, 3]))) for _ in range(4)),
            keep_apart=tuple(tuple(rng.sample(everyone, 2)) for _ in range(4)),
            max_per_country=rng.choice([None, 2]),
        ),
    )
    return peers, groups, options


@pytest.mark.parametrize("pairs", [False, True])
def test_a_move_checked_on_its_two_groups_says_what_the_whole_grouping_says(pairs: bool) -> None:
    """Only the two groups, the places of the peer's keep-together partners and whether pairs
    still allow a group of three: the same warnings as a check of every group."""
    for seed in range(25):
        peers, groups, options = _random_grouping(seed, pairs=pairs)
        rng = random.Random(seed)
        by_id = {peer.id: peer for peer in peers}
        for _ in range(6):
            source, target = rng.sample(sorted(groups), 2)
            mover = rng.choice(groups[source])
            # The other groups first: a group of three already there keeps its allowance.
            ordered = {k: v for k, v in groups.items() if k not in (source, target)}
            ordered |= {source: groups[source], target: groups[target]}
            whole = check_move(peers, ordered, mover, target, options)
            partners = {
                pid
                for members in options.constraints.keep_together
                if mover in members
                for pid in members
            }
            elsewhere = {
                pid: label
                for label, members in ordered.items()
                if label not in (source, target)
                for pid in members
                if pid in partners
            }
            odd = sum(len(m) for m in groups.values()) % 2 == 1
            three = any(len(m) == 3 for k, m in ordered.items() if k not in (source, target))
            two = {source: groups[source], target: groups[target]}
            wanted = {*two[source], *two[target], *elsewhere}
            alone = check_move(
                [by_id[pid] for pid in sorted(wanted)],
                two,
                mover,
                target,
                options,
                elsewhere=elsewhere,
                triples=1 if odd and not three else 0,
            )
            assert sorted(i.message for i in alone.issues) == sorted(
                i.message for i in whole.issues
            ), (seed, mover, source, target)
            assert alone.ok == whole.ok
