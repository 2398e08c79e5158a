"""REST endpoints of matching (``/api/v1/``), registered on the shared router."""
