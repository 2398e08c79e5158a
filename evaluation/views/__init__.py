"""Pages of evaluation, one module per side: answering (peers), instruments and waves
(facilitators), stories, the dashboard and impact (managers), and pages reached by a secret link.
Thin: they check a rule, then call selectors and services."""
