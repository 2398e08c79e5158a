"""Comparing practice: shared assessment tools, organisations' self-assessments, peer and expert
reviews, the benchmark between organisations, cohorts and rounds, and positive deviance (peers
whose organisation does markedly better on a criterion, suggested as pair partners)."""
