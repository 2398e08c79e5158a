"""The indexed problem the search works on, and small helpers shared by the preparation steps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..features import FeatureSpace, norm
from ..models import Options, Peer
from ..results import ConstraintIssue, join_words


def quoted(text: str) -> str:
    return f'"{text}"'


@dataclass
class Problem:
    peers: list[Peer]
    options: Options
    fs: FeatureSpace
    org: list[int]  # organisation id per peer, -1 when unconstrained
    org_names: list[str]
    country: list[int]  # country id per peer, -1 when unconstrained
    country_names: list[str]
    cap: int | None
    units: list[tuple[int, ...]]
    unit_of: list[int]
    unit_lock: list[int]  # group index of a locked unit, -1 otherwise
    apart: list[dict[int, int]]  # unit -> {other unit: number of keep-apart peer pairs}
    group_count: int
    lo: list[int]  # per-group minimum size used by the search (relaxed when infeasible)
    hi: list[int]  # per-group maximum size used by the search (relaxed when infeasible)
    min_size: int  # the requested bounds, for the report
    max_size: int
    locked_labels: list[str]  # labels of groups 0..L-1
    issues: list[ConstraintIssue] = field(default_factory=list)
    lang: list[tuple[int, ...]] = field(default_factory=list)  # per peer, when constrained
    lang_codes: list[str] = field(default_factory=list)  # language id -> code
    use_lang: bool = False
    closed: dict[int, int] = field(default_factory=dict)  # closed group -> its size
    lang_stuck: set[int] = field(default_factory=set)  # peers no group can share a language with

    def __post_init__(self) -> None:
        if not self.lang:
            self.lang = [()] * len(self.peers)

    @property
    def n(self) -> int:
        return len(self.peers)

    def name(self, p: int) -> str:
        return self.peers[p].display_name

    def names(self, ps: Sequence[int]) -> str:
        return join_words(self.name(p) for p in ps)

    def ids(self, ps: Sequence[int]) -> tuple[str, ...]:
        return tuple(self.peers[p].id for p in ps)


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.label: list[str | None] = [None] * n

    def find(self, a: int) -> int:
        root = a
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[a] != root:
            self.parent[a], a = root, self.parent[a]
        return root

    def union(self, a: int, b: int) -> bool:
        """Join the sets of a and b unless they carry two different locks."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        la, lb = self.label[ra], self.label[rb]
        if la is not None and lb is not None and la != lb:
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.label[ra] = la if la is not None else lb
        return True


def id_map(peers: Sequence[Peer]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, peer in enumerate(peers):
        if not peer.id:
            raise ValueError(f"Peer number {i + 1} has no id.")
        if peer.id in index:
            raise ValueError(f"Peer id {peer.id!r} appears twice.")
        index[peer.id] = i
    return index


def categories(
    values: Sequence[str], labels: Sequence[str] | None = None
) -> tuple[list[int], list[str]]:
    """Category number per value (-1 for an empty value) and the names, in first-seen order
    (the value itself, or its entry in ``labels``: an organisation's name for its key)."""
    ids: dict[str, int] = {}
    names: list[str] = []
    out: list[int] = []
    for i, value in enumerate(values):
        key = norm(value)
        if not key:
            out.append(-1)
            continue
        if key not in ids:
            ids[key] = len(names)
            names.append(labels[i] if labels is not None else value.strip())
        out.append(ids[key])
    return out, names


@dataclass
class Context:
    """What every preparation step reads (the peers, the options, the id index) and the
    report it writes to."""

    peers: list[Peer]
    options: Options
    index: dict[str, int]
    issues: list[ConstraintIssue] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.peers)

    def name(self, p: int) -> str:
        return self.peers[p].display_name

    def names(self, ps: Sequence[int]) -> str:
        return join_words(self.peers[p].display_name for p in ps)

    def ids(self, ps: Sequence[int]) -> tuple[str, ...]:
        return tuple(self.peers[p].id for p in ps)

    def note_unknown(self, pid: str, where: str) -> None:
        self.issues.append(
            ConstraintIssue(
                kind="note",
                constraint="unknown_peer",
                code="unknown_peer",
                params={"id": pid, "list": where},
                message=f"Peer id {quoted(pid)} in the {where} is not in the list of peers. "
                "It was ignored.",
                peers=(pid,),
            )
        )
