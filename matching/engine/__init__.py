"""PeerLearn grouping engine: pure Python (standard library only), no Django.

Entry points
============

* ``run(peers, options=None, *, progress=None) -> MatchingResult``
* ``place_late_joiners(existing_groups, new_peers, options=None, *, closed_groups=())
  -> PlacementResult``
* ``propose_replacement(group, leaving_peer_id, candidates, options=None, *, group_label=None)
  -> list[ReplacementCandidate]``
* ``read_peers_csv(source) -> (peers, issues)`` and ``write_groups_csv(result, file)``
* ``check_groups(peers, groups, options)``: independent check of the hard constraints.

Definitions
===========

Peers ``i`` have themes ``T_i`` (problem themes distilled from their self-nominated
challenges), a role domain ``r_i`` (the ``role`` field), a seniority ``s_i``, a task area
``k_i``, context tags ``C_i`` (the ``context`` tags plus the country as one more tag), an
organisation and a country. Text is compared case-insensitively with white space collapsed;
an empty value never matches anything.

Pair affinity ``w(i, j) >= 0`` of each strategy:

* ``problem`` (default): ``w = |T_i ∩ T_j|``, the number of shared themes. Experiment 1
  found matching by shared problem the most effective.
* ``role`` (vertical mentoring): ``w = 2`` when ``r_i = r_j`` and ``s_i != s_j`` (same role
  domain, different seniority), ``w = 1`` when ``r_i = r_j`` and ``s_i = s_j``, else 0. Groups
  therefore share a role domain and mix seniorities.
* ``task``: ``w = 1`` when ``k_i = k_j``, else 0. Least effective in Experiment 1: the
  engine returns a warning (``TASK_WARNING``).
* ``context``: ``w = |C_i ∩ C_j|`` (shared context tags, the same country counting as one).
  An untested hypothesis: the engine returns a warning (``CONTEXT_WARNING``).
* ``hybrid``: ``w = sum_s lambda_s * w_s`` with the weights ``lambda_s >= 0`` given in
  ``Options.weights`` for s in problem, role, task, context (raw affinities, not rescaled).

Group score ``S(g) = sum over pairs {i, j} in g of w(i, j)``. For the problem strategy this is
``sum over themes t of C(c_t, 2)`` where ``c_t`` is the number of members with theme t.

Total ``F = sum over groups of S(g)``.

Isolated member: a member ``i`` of ``g`` with ``w(i, j) = 0`` for every other member ``j``
(for the problem strategy: no theme in common with anyone in the group). ``I`` is the number of
isolated peers. ``MatchingResult.theme_isolated`` additionally lists, for every strategy, the
members who share no theme with anyone in their group.

Violations ``V``: broken hard constraints, counted as the sum over groups of
``C(n_org, 2)`` per organisation (pairs of peers from one organisation, so that an
organisation too large for the groups is spread as evenly as possible), ``max(0, n_country -
k)`` per country (when a limit ``k`` is set), and the number of keep-apart pairs sharing a
group. Size bounds, locked assignments and keep-together sets are built into the search and
never broken by it. Constraints that cannot be met are found before the search and reported
with the reason; constraints of a lower precedence give way (see ``Constraints``).

Objective: minimise ``(V, I, -F)`` lexicographically: first break no hard constraint,
then leave no peer isolated, then maximise shared affinity. "No peer isolated whenever that
is achievable" is thus the second priority, above any amount of sharing.

Normalised scores, in [0, 1]:

* group: ``S(g) / sum over features f with weight > 0 of weight_f * c_f * (|g| - 1) / 2``,
  the share of the members' themes (features) that every other member also holds. 1 means
  all members hold the same themes; 0 means nothing is shared.
* overall: ``F / UB`` with ``UB = sum over features f with weight > 0 of
  weight_f * N_f * min(S_max - 1, N_f - 1) / 2``, ``N_f`` the number of peers with feature f
  and ``S_max`` the largest group size. UB is the score if every peer shared each of its themes
  with every other member of its group; it is usually not reachable, so compare runs on the
  same peers rather than reading the value on its own. ``stats["theme_coverage"]`` is the
  share of (peer, theme) pairs whose theme someone else in the group also holds.

Number of groups: the fewest groups that fit the size bounds (``ceil(n / max)``) and also the
organisation, country and keep-apart limits when possible; ``Options.group_count`` forces it.
Pairs mode: ``floor(n / 2)`` groups of two, one group of three when ``n`` is odd (reported).

Search: greedy construction (organisations that need a place in every remaining group are
placed first), then best-improvement move/swap local search with delta evaluation on per-group
feature counters, then an iterated local search (random kicks between related groups, an
exhaustive re-split of two groups to repair isolation, record-to-record acceptance) with a
budget counted in evaluated moves: ``effort * (150,000 + 400 n)``, shared by two independent
restarts up to 300 peers. Deterministic for a seed; ``Options.time_limit`` is an optional
wall-clock cap. With many groups, candidate target groups come from an inverted index
feature -> groups, so each step stays cheap and the run near-linear in n.
"""

from .api import (
    group_score,
    place_late_joiners,
    propose_replacement,
    run,
    search_budget,
    upper_bound,
)
from .check import check_groups
from .csvio import CsvIssue, read_peers_csv, write_groups_csv
from .explain import explain_group, shared_themes, theme_isolated
from .features import (
    CONTEXT_WARNING,
    ROLE_NOTE,
    TASK_WARNING,
    pair_affinity,
    strategy_warnings,
)
from .models import (
    COMPONENTS,
    MAX_EFFORT,
    MAX_GROUP_SIZE,
    MAX_SEED,
    MAX_WEIGHT,
    STRATEGIES,
    ConstraintIssue,
    ConstraintReport,
    Constraints,
    Explanation,
    Group,
    MatchingResult,
    Options,
    Peer,
    PlacementResult,
    Reason,
    ReplacementCandidate,
    Strategy,
    UnplacedPeer,
)

__all__ = [
    "COMPONENTS",
    "CONTEXT_WARNING",
    "MAX_EFFORT",
    "MAX_GROUP_SIZE",
    "MAX_SEED",
    "MAX_WEIGHT",
    "ROLE_NOTE",
    "STRATEGIES",
    "TASK_WARNING",
    "ConstraintIssue",
    "ConstraintReport",
    "Constraints",
    "CsvIssue",
    "Explanation",
    "Group",
    "MatchingResult",
    "Options",
    "Peer",
    "PlacementResult",
    "Reason",
    "ReplacementCandidate",
    "Strategy",
    "UnplacedPeer",
    "check_groups",
    "explain_group",
    "group_score",
    "pair_affinity",
    "place_late_joiners",
    "propose_replacement",
    "read_peers_csv",
    "run",
    "search_budget",
    "shared_themes",
    "strategy_warnings",
    "theme_isolated",
    "upper_bound",
    "write_groups_csv",
]
