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
* ``check_move(peers, groups, peer_id, to_group, options) -> GroupingCheck``: what a proposed
  move would break, named (before the move; ``ok`` False asks for a confirmation).
* ``check_grouping(peers, groups, options) -> GroupingCheck``: everything wrong with a grouping
  before it is published (sizes, constraints, peers in no group, members sharing no theme).
* ``check_options(peers, options) -> ConstraintReport``: what the options cannot meet, before
  a run (keep-together sets larger than a group, peers kept together and apart, conflicting
  locks, languages too few peers share, unknown ids).
* ``apply_choice(options, choice) -> Options``: the options with a ``Choice`` of the report.

Definitions
===========

Peers ``i`` have themes ``T_i`` (problem themes distilled from their self-nominated
challenges), a role domain ``r_i`` (the ``role`` field), a seniority ``s_i``, a task area
``k_i``, context tags ``C_i`` (the ``context`` tags plus the country and the professional
affiliation as one more tag each), goal tags ``G_i``, an organisation, a country, working
languages ``L_i`` (ISO 639-1 codes), an implementation-pathway stage and a degree of influence
over the reform. Text is compared case-insensitively with white space collapsed; an empty value
never matches anything.

Pair affinity ``w(i, j) >= 0`` of each strategy:

* ``problem`` (default): ``w = |T_i ∩ T_j|``, the number of shared themes. Experiment 1
  found matching by shared problem the most effective.
* ``role`` (vertical mentoring): ``w = 2`` when ``r_i = r_j`` and ``s_i != s_j`` (same role
  domain, different seniority), ``w = 1`` when ``r_i = r_j`` and ``s_i = s_j``, else 0. Groups
  therefore share a role domain and mix seniorities.
* ``task``: ``w = 1`` when ``k_i = k_j``, else 0. Least effective in Experiment 1: the
  engine returns a warning (``TASK_WARNING``).
* ``context``: ``w = |C_i ∩ C_j|`` (shared context tags, the same country and the same
  professional affiliation counting as one each). An untested hypothesis: the engine returns a
  warning (``CONTEXT_WARNING``).
* ``hybrid``: ``w = sum_s lambda_s * w_s`` with the weights ``lambda_s >= 0`` given in
  ``Options.weights`` for s in problem, role, task, context and goals, where
  ``w_goals = |G_i ∩ G_j|`` (shared goals: peers who "pursued similar goals in the face of
  similar challenges" learn from each other) (raw affinities, not rescaled).
* ``organisation`` (teams that reform together, for in-country diffusion):
  ``w = 10 * [same organisation] + 3 * [same country] + |T_i ∩ T_j|``. One per organisation
  is turned off. An organisation of min..max peers (or any size that splits into such groups)
  gets groups of its own; the peers of an organisation too small for a group, or left over,
  join peers of their country first, then by shared problems. Each such organisation is named
  in the report ("organisation_groups" notes).

Balancing rules (``Options.balance``: factor -> "mix", "same" or "off") add, for each pair of
members, ``beta = Options.balance_weight`` (0.25 by default; a shared theme adds 1) when the
pair follows the rule: "mix" when both gave the factor and differ, "same" when both gave it and
agree. Factors and defaults:

* ``stage`` (implementation-pathway stage), mixed by default: in collaborative learning
  networks the participants are "in different places along the implementation pathway", and
  those further along help those starting; "same" gives technical working groups at one
  stage instead.
* ``influence`` (degree of influence over the reform), mixed by default: peers are selected
  "based on their degree of influence over reforms" because it decides what the group can act
  on; a group with someone who leads the reform can carry its lessons into decisions.
* ``career_level`` and ``education``: off by default. Peers name similar career and education
  levels among the factors they want matched, but Experiment 1 did not test them and they
  compete with shared problems; a facilitator can set "same" (or "mix").
* Seniority is part of the role strategy (mixed within a role domain), not a balancing rule.

Balancing terms count in the objective but not in isolation nor in the normalised scores.

Group score ``S(g) = sum over pairs {i, j} in g of w(i, j)`` (balancing terms included). For
the problem strategy this is ``sum over themes t of C(c_t, 2)`` where ``c_t`` is the number
of members with theme t.

Total ``F = sum over groups of S(g)``.

Isolated member: a member ``i`` of ``g`` with ``w(i, j) = 0`` for every other member ``j``,
balancing terms left out (for the problem strategy: no theme in common with anyone in the
group). ``I`` is the number of isolated peers. ``MatchingResult.theme_isolated`` additionally
lists, for every strategy, the members who share no theme with anyone in their group.

Working language (``Constraints.common_language``, on by default): the members of a group who
gave a language, less those in ``Constraints.language_exempt``, share at least one. Peers who
gave no language are placed as if they could work in any language, and the report names them.
A group breaking it counts, as violations, the members who do not work in its most spoken
language.

Violations ``V``: broken hard constraints, counted as the sum over groups of
``C(n_org, 2)`` per organisation (pairs of peers from one organisation, so that an
organisation too large for the groups is spread as evenly as possible), ``max(0, n_country -
k)`` per country (when a limit ``k`` is set), the members outside the group's best language,
and the number of keep-apart pairs sharing a group. Size bounds, locked assignments, closed
groups and keep-together sets are built into the search and never broken by it. Constraints
that cannot be met are found before the search and reported with the reason and choices (see
``Choice``); constraints of a lower precedence give way (see ``Constraints``).

Objective: minimise ``(V, I, -F)`` lexicographically: first break no hard constraint,
then leave no peer isolated, then maximise shared affinity. "No peer isolated whenever that
is achievable" is thus the second priority, above any amount of sharing.

Normalised scores, in [0, 1] (balancing features left out):

* group: ``S(g) / sum over features f with weight > 0 of weight_f * c_f * (|g| - 1) / 2``,
  the share of the members' themes (features) that every other member also holds. 1 means
  all members hold the same themes; 0 means nothing is shared.
* overall: ``F / UB`` with ``UB = sum over features f with weight > 0 of
  weight_f * N_f * min(S_max - 1, N_f - 1) / 2``, ``N_f`` the number of peers with feature f
  and ``S_max`` the largest group size. UB is the score if every peer shared each of its themes
  with every other member of its group; it is usually not reachable, so compare runs on the
  same peers rather than reading the value on its own. ``stats["theme_coverage"]`` is the
  share of (peer, theme) pairs whose theme someone else in the group also holds, and
  ``stats["shared_theme_pairs"]`` the problem objective (sum of C(c_t, 2)) whatever the
  strategy, to compare runs.

Number of groups: the fewest groups that fit the size bounds and also the organisation,
country, keep-apart and language limits when possible (each language community needs its own
groups); ``Options.group_count`` forces it. Closed groups hold exactly their locked peers.
Pairs mode: ``floor(n / 2)`` groups of two, one group of three when ``n`` is odd (reported).

Search (package ``search``): greedy construction (organisations that need a place in every
remaining group are placed first; with the language rule, peers of the rarest languages open
groups first and a group's size leaves whole groups to the peers left in its language), then
best-improvement move/swap local search with delta evaluation on per-group feature,
organisation, country and language counters, then an iterated local search (random kicks
between related groups, an exhaustive re-split of two groups to repair isolation, three-way
rotations to repair the language rule, record-to-record acceptance) with a budget counted in
evaluated moves: ``effort * (150,000 + 400 n)``, shared by two independent restarts up to 300
peers. With the language rule, the second start (or, above 300 peers, one more start with a
quarter of the budget when a group still breaks the rule) builds from a language plan: how
many groups of which size work in each language and which peers each takes
(``search.plan``); random kicks do not break the rule. Deterministic for a seed;
``Options.time_limit`` is an optional wall-clock cap. With many groups, candidate target
groups come from an inverted index feature -> groups (restricted to groups where the unit
works in the shared language), so each step stays cheap and the run near-linear in n.
"""

from .check import check_grouping, check_groups, check_move, check_options, common_languages
from .choices import apply_choice
from .csvio import CsvIssue, read_peers_csv, write_groups_csv
from .explain import explain_group, shared_themes, theme_isolated
from .features import (
    CONTEXT_WARNING,
    ROLE_NOTE,
    TASK_WARNING,
    pair_affinity,
    strategy_warnings,
)
from .languages import language_code, language_name, language_names
from .late import place_late_joiners
from .models import (
    BALANCE_FACTORS,
    BALANCE_MODES,
    COMPONENTS,
    DEFAULT_BALANCE,
    ORGANISATION_WEIGHTS,
    STRATEGIES,
    Constraints,
    Options,
    Peer,
    Strategy,
)
from .replacement import propose_replacement
from .results import (
    Choice,
    ConstraintIssue,
    ConstraintReport,
    Explanation,
    Group,
    GroupingCheck,
    MatchingResult,
    PlacementResult,
    Reason,
    ReplacementCandidate,
    UnplacedPeer,
)
from .run import run, search_budget
from .scoring import group_score, upper_bound

__all__ = [
    "BALANCE_FACTORS",
    "BALANCE_MODES",
    "COMPONENTS",
    "CONTEXT_WARNING",
    "DEFAULT_BALANCE",
    "ORGANISATION_WEIGHTS",
    "ROLE_NOTE",
    "STRATEGIES",
    "TASK_WARNING",
    "Choice",
    "ConstraintIssue",
    "ConstraintReport",
    "Constraints",
    "CsvIssue",
    "Explanation",
    "Group",
    "GroupingCheck",
    "MatchingResult",
    "Options",
    "Peer",
    "PlacementResult",
    "Reason",
    "ReplacementCandidate",
    "Strategy",
    "UnplacedPeer",
    "apply_choice",
    "check_grouping",
    "check_groups",
    "check_move",
    "check_options",
    "common_languages",
    "explain_group",
    "group_score",
    "language_code",
    "language_name",
    "language_names",
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
