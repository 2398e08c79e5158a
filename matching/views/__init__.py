"""Pages of matching, one module per part: the intake and its set-up (``intake``), problem
themes (``themes``), matching runs and their review (``runs``). Thin: they check a rule and
call selectors and services; each action has its own address."""
