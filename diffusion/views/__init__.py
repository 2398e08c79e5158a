"""Pages of diffusion, one module per noun: the overview and graph, plans, report-backs (with the
attendee's feedback link), chapters, pilots, impact stories and the sponsor's progress report.
Thin: they check a rule, then call selectors and services."""
