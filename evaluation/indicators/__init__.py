"""Reads behind the managers' dashboard: the hourglass funnel, the value cycles and the PEMPAL
indicator tiers (Annex 7), one module each (``facts``, ``funnel``, ``tiers``, ``comparisons``,
``dashboard``). Every function runs a fixed number of queries, whatever the number of peers,
responses or contacts.

Definitions used throughout (a *peer* is anyone holding the peer role in the programme):

* **engaged**: a peer with any recorded participation: present at an activity, in a logged
  contact (either side), a submitted survey response or a value-creation story;
* **in sustained contact**: a peer whose logged contacts (either side, confirmed or not) span at
  least :data:`SUSTAINED_CONTACT_WEEKS` weeks between the first and the last contact date
  (twelve weeks follows Experiment 4's "contact lasting at least 3 months");
* **reporting value of a cycle**: a submitted answer to an item tagged with that Wenger-Trayner
  cycle that is either 4 or 5 on its 1-5 scale, or a non-blank free-text answer (the story
  questions); a value-creation story counts for immediate and potential value, and for applied
  or realised value once its follow-up says so;
* **reporting learning**: reporting potential value (any of its parts a-e);
* **diffusing**: a peer the diffusion app counts as diffusing (a report-back held at home);
* **reporting applied or realised value**: reporting either of those two cycles.
"""

from .comparisons import comparison_table, strategy_comparison
from .dashboard import (
    CYCLE_SHORT,
    FIGURES_TIMEOUT,
    FLAGS_SHOWN,
    Dashboard,
    compute_figures,
    dashboard,
    data_version,
    figures,
    flags,
    network_for,
    snapshot_values,
)
from .facts import (
    POSITIVE,
    SUSTAINED_CONTACT_WEEKS,
    YES_CHOICES,
    Facts,
    as_percent,
    contact_edges,
    read_facts,
    reporting,
    share_of,
    sustained_contact,
)
from .funnel import CycleRow, FunnelStage, funnel, value_cycles
from .tiers import (
    Indicator,
    Tier,
    TierIndicators,
    attach_trends,
    impact_rows,
    indicator_tiers,
    input_indicators,
    outcome_indicators,
    output_indicators,
)

__all__ = [
    "CYCLE_SHORT",
    "FIGURES_TIMEOUT",
    "FLAGS_SHOWN",
    "POSITIVE",
    "SUSTAINED_CONTACT_WEEKS",
    "YES_CHOICES",
    "CycleRow",
    "Dashboard",
    "Facts",
    "FunnelStage",
    "Indicator",
    "Tier",
    "TierIndicators",
    "as_percent",
    "attach_trends",
    "comparison_table",
    "compute_figures",
    "contact_edges",
    "dashboard",
    "data_version",
    "figures",
    "flags",
    "funnel",
    "impact_rows",
    "indicator_tiers",
    "input_indicators",
    "network_for",
    "outcome_indicators",
    "output_indicators",
    "read_facts",
    "reporting",
    "share_of",
    "snapshot_values",
    "strategy_comparison",
    "sustained_contact",
    "value_cycles",
]
