"""REST endpoints of evaluation (``/api/v1/``), registered on the shared router."""
