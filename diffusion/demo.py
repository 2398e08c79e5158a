"""Demo data of diffusion, added to the demo programme by ``manage.py load_demo``."""

from programmes.models import Programme


def extend_demo(programme: Programme) -> None:
    """Add this app's demo data to ``programme``. Must be safe to run any number of times."""
