"""Problem themes: cluster challenge statements by the problem they raise, in any language.

Pure Python (no Django). The pipeline, in order:

* :mod:`.text` — language identification, Unicode words, stop words (data files), stems;
* :mod:`.lexicon` — multilingual public-sector concepts (``matching/data/concepts.yaml``);
* :mod:`.vectors` — per-statement vectors: multilingual sentence embedding + concepts
  (cacheable: :meth:`StatementVector.to_dict`), and the cohort :class:`Weighting`;
* :mod:`.clustering` — spectral clustering of the neighbour graph, count by modularity;
* :mod:`.naming` — names in the facilitator's language;
* :mod:`.pipeline` — :func:`propose`, :func:`propose_guided`, :func:`fit_model`, :func:`assign`;
* :mod:`.compare` — what would change if one set of themes replaced another.
"""

from .compare import Changes, Move, PairedTheme, compare
from .legacy import (
    ProposedTheme,
    StatementEmbedder,
    TfidfEmbedder,
    Vector,
    adjusted_rand_index,
    cosine,
    load_labelled_statements,
    propose_themes,
)
from .pipeline import (
    ASSIGN_THRESHOLD,
    Assignment,
    Proposal,
    SeedTheme,
    Theme,
    ThemeModel,
    assign,
    fit_model,
    propose,
    propose_guided,
)
from .text import detect_language
from .vectors import StatementVector, VersionMismatch, Weighting, embed, model_version

__all__ = [
    "ASSIGN_THRESHOLD",
    "Assignment",
    "Changes",
    "Move",
    "PairedTheme",
    "Proposal",
    "ProposedTheme",
    "SeedTheme",
    "StatementEmbedder",
    "StatementVector",
    "TfidfEmbedder",
    "Theme",
    "ThemeModel",
    "Vector",
    "VersionMismatch",
    "Weighting",
    "adjusted_rand_index",
    "assign",
    "compare",
    "cosine",
    "detect_language",
    "embed",
    "fit_model",
    "load_labelled_statements",
    "model_version",
    "propose",
    "propose_guided",
    "propose_themes",
]
