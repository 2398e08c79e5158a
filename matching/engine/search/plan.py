"""A language plan for the construction: how many groups work in each language, how large
they are, and how many peers of each kind (the languages they work in) each language takes.

Peers are grouped by *kind*: the set of languages all members of their unit work in (a
bilingual peer is a kind of two languages; peers the rule does not bind work with any group).
For a number of groups ``k_l`` per language, a plan exists when the peers can be shared out
so that language l gets between ``k_l * min`` and ``k_l * max`` of them, each peer going to a
language of their kind: a flow problem with lower bounds on a graph of a few nodes (kinds and
languages), solved exactly with augmenting paths. The numbers ``k_l`` start at what the peers
who work in one language only need and are then adjusted one group at a time while the flow
falls short. When a plan is found, each group is given a language and a size, and a peer of
a kind only joins a group of a language the plan gave to that kind; the construction then
starts from groups that all share a language.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ANY = -1  # kind of the peers the rule does not bind


@dataclass
class LanguagePlan:
    group_language: list[int]  # per group: the language it works in
    sizes: list[int]  # per group: its size
    quota: dict[tuple[frozenset[int], int], int]  # (kind, language) -> peers to place


class _Flow:
    """Max flow with augmenting paths (Edmonds-Karp) on a small graph."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.cap: list[dict[int, int]] = [{} for _ in range(n)]

    def add(self, a: int, b: int, c: int) -> None:
        self.cap[a][b] = self.cap[a].get(b, 0) + c
        self.cap[b].setdefault(a, 0)

    def max_flow(self, s: int, t: int) -> int:
        total = 0
        while True:
            parent = [-1] * self.n
            parent[s] = s
            queue = deque([s])
            while queue and parent[t] < 0:
                a = queue.popleft()
                for b, c in self.cap[a].items():
                    if c > 0 and parent[b] < 0:
                        parent[b] = a
                        queue.append(b)
            if parent[t] < 0:
                return total
            push = math.inf
            b = t
            while b != s:
                a = parent[b]
                push = min(push, self.cap[a][b])
                b = a
            b = t
            while b != s:
                a = parent[b]
                self.cap[a][b] -= int(push)
                self.cap[b][a] += int(push)
                b = a
            total += int(push)


def _share(
    kinds: Mapping[frozenset[int], int],
    languages: Sequence[int],
    k: Mapping[int, int],
    lo: int,
    hi: int,
) -> tuple[int, dict[tuple[frozenset[int], int], int]]:
    """(shortfall, assignment): shortfall 0 means every peer goes to a language of their kind
    and language l gets between k_l * lo and k_l * hi peers."""
    kind_list = list(kinds)
    nk, nl = len(kind_list), len(languages)
    # Nodes: s, t, kinds, languages, S*, T*.
    s, t = 0, 1
    kind0, lang0 = 2, 2 + nk
    s_star, t_star = 2 + nk + nl, 3 + nk + nl
    flow = _Flow(4 + nk + nl)
    lang_index = {x: i for i, x in enumerate(languages)}
    demand = 0
    for i, kind in enumerate(kind_list):
        count = kinds[kind]
        # s -> kind with lower = upper = count.
        flow.add(s_star, kind0 + i, count)
        flow.add(s, t_star, count)
        demand += count
        targets = languages if ANY in kind else [x for x in kind if x in lang_index]
        for x in targets:
            flow.add(kind0 + i, lang0 + lang_index[x], count)
    for x in languages:
        low, high = k[x] * lo, k[x] * hi
        if high < low:
            return 1 << 30, {}
        flow.add(lang0 + lang_index[x], t, high - low)
        flow.add(s_star, t, low)
        flow.add(lang0 + lang_index[x], t_star, low)
        demand += low
    flow.add(t, s, 1 << 30)
    got = flow.max_flow(s_star, t_star)
    if got < demand:
        return demand - got, {}
    # Read the assignment: the flow on kind -> language edges is the reverse capacity.
    out: dict[tuple[frozenset[int], int], int] = {}
    for i, kind in enumerate(kind_list):
        for x in languages:
            used = flow.cap[lang0 + lang_index[x]].get(kind0 + i, 0)
            if used:
                out[(kind, x)] = used
    return 0, out


def language_plan(
    kinds: Mapping[frozenset[int], int], groups: int, lo: int, hi: int, rounds: int = 200
) -> LanguagePlan | None:
    """A plan for ``groups`` groups of lo..hi peers, or None when none was found."""
    languages = sorted({x for kind in kinds for x in kind if x != ANY})
    if not languages or groups < 1:
        return None
    mono = {x: sum(c for kind, c in kinds.items() if kind == frozenset({x})) for x in languages}
    k = {x: math.ceil(mono[x] / hi) for x in languages}
    if sum(k.values()) > groups:
        return None
    speakers = {
        x: sum(c for kind, c in kinds.items() if x in kind or ANY in kind) for x in languages
    }
    # Give the remaining groups to the languages with the most speakers per group.
    while sum(k.values()) < groups:
        x = max(languages, key=lambda y: (speakers[y] / (k[y] + 1), -y))
        k[x] += 1
    best, assignment = _share(kinds, languages, k, lo, hi)
    for _ in range(rounds):
        if best == 0:
            break
        improved = False
        for x in languages:
            for y in languages:
                if x == y or k[x] == 0 or k[x] - 1 < math.ceil(mono[x] / hi):
                    continue
                k[x] -= 1
                k[y] += 1
                short, found = _share(kinds, languages, k, lo, hi)
                if short < best:
                    best, assignment = short, found
                    improved = True
                    break
                k[x] += 1
                k[y] -= 1
            if improved:
                break
        if not improved:
            return None
    if best != 0:
        return None
    group_language: list[int] = []
    sizes: list[int] = []
    for x in languages:
        if not k[x]:
            continue
        total = sum(c for (_kind, y), c in assignment.items() if y == x)
        for j in range(k[x]):
            group_language.append(x)
            sizes.append(total // k[x] + (1 if j < total % k[x] else 0))
    return LanguagePlan(group_language=group_language, sizes=sizes, quota=assignment)
