"""Construction and local search over units (blocks of peers that move together).

The search minimises, in this order (lexicographically):

1. ``violations``: broken hard constraints (pairs of peers of one organisation, country
   excess, keep-apart pairs sharing a group). Size bounds are never broken by a move.
2. ``isolated``: members with zero affinity to every other member of their group.
3. ``-total``: the sum of the group scores.

Construction builds the groups one after another (largest first). Each group takes first
the peers that *must* go now (an organisation with as many remaining peers as remaining
groups), then a seed (the remaining peer with the fewest potential partners), then the peer
with the largest gain, using an inverted index feature -> unplaced peers.

Local search then runs best-improvement "move" and "swap" steps from a work queue of units
whose group changed, followed by an iterated local search (random kick between two related
groups, local search, keep if not worse, undo otherwise) until the move budget is spent or
the search stagnates. With many groups, candidate target groups are restricted to the best
few by gain, found through an inverted index feature -> groups, which keeps each step cheap.
"""

from __future__ import annotations

from .iterated import Search
from .state import EPS

__all__ = ["EPS", "Search"]
