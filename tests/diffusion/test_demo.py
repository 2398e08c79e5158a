"""The diffusion demo: report-backs, a graph three levels deep, a chapter and a pilot."""

from __future__ import annotations

from diffusion.demo import extend_demo
from diffusion.models import Chapter, DiffusionPlan, Pilot, Recipient, ReportBack
from diffusion.selectors import diffusion_reach, peers_diffusing
from programmes.demo import DEMO_PROGRAMME, load_demo
from programmes.models import Programme


def test_demo_is_complete_and_idempotent(db: None) -> None:
    load_demo(password="x", peers=12)
    programme = Programme.objects.get(name=DEMO_PROGRAMME)
    extend_demo(programme)
    counts = [
        ReportBack.objects.count(),
        Recipient.objects.count(),
        Chapter.objects.count(),
        Pilot.objects.count(),
        DiffusionPlan.objects.filter(status="confirmed").count(),
    ]
    extend_demo(programme)
    assert counts == [
        ReportBack.objects.count(),
        Recipient.objects.count(),
        Chapter.objects.count(),
        Pilot.objects.count(),
        DiffusionPlan.objects.filter(status="confirmed").count(),
    ]
    assert counts[0] >= 3 and counts[2] == 1 and counts[3] == 1 and counts[4] >= 1
    assert max(diffusion_reach(programme)) == 3
    assert len(peers_diffusing(programme)) >= 3
    assert Pilot.objects.get().steps.count() >= 3
