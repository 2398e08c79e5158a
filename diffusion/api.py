"""REST endpoints of diffusion (``/api/v1/``), registered on the shared router."""
