from django.urls import path

from .views import chapters, overview, pilots, plans, report_backs, sponsor_report, stories

app_name = "diffusion"

urlpatterns = [
    path("programmes/<int:pk>/", overview.overview, name="overview"),
    path("programmes/<int:pk>/graph/", overview.graph_page, name="graph"),
    path("programmes/<int:pk>/plan/", plans.plan_edit, name="plan_edit"),
    path(
        "programmes/<int:pk>/report-backs/new/",
        report_backs.report_back_create,
        name="report_back_create",
    ),
    path("programmes/<int:pk>/chapters/new/", chapters.chapter_create, name="chapter_create"),
    path("programmes/<int:pk>/pilots/new/", pilots.pilot_create, name="pilot_create"),
    path("programmes/<int:pk>/stories/new/", stories.story_create, name="story_create"),
    path(
        "programmes/<int:pk>/sponsor-report/", sponsor_report.sponsor_report, name="sponsor_report"
    ),
    path(
        "programmes/<int:pk>/sponsor-report/subscription/",
        sponsor_report.sponsor_subscription,
        name="sponsor_subscription",
    ),
    path("plans/<int:plan_pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:plan_pk>/activities/", plans.plan_activity_add, name="plan_activity_add"),
    path("plans/<int:plan_pk>/confirm/", plans.plan_confirm, name="plan_confirm"),
    path(
        "report-backs/<int:report_back_pk>/",
        report_backs.report_back_detail,
        name="report_back_detail",
    ),
    path(
        "report-backs/<int:report_back_pk>/attendees/",
        report_backs.report_back_attendees,
        name="report_back_attendees",
    ),
    path(
        "report-backs/<int:report_back_pk>/materials/",
        report_backs.report_back_materials,
        name="report_back_materials",
    ),
    path("share/<str:token>/", report_backs.feedback, name="feedback"),
    path("chapters/<int:chapter_pk>/", chapters.chapter_detail, name="chapter_detail"),
    path(
        "chapters/<int:chapter_pk>/members/", chapters.chapter_member_add, name="chapter_member_add"
    ),
    path(
        "chapters/<int:chapter_pk>/meetings/",
        chapters.chapter_meeting_add,
        name="chapter_meeting_add",
    ),
    path("pilots/<int:pilot_pk>/", pilots.pilot_detail, name="pilot_detail"),
    path("pilots/<int:pilot_pk>/steps/", pilots.pilot_step_add, name="pilot_step_add"),
    path(
        "pilots/<int:pilot_pk>/milestones/", pilots.pilot_milestone_add, name="pilot_milestone_add"
    ),
    path(
        "pilots/<int:pilot_pk>/milestones/<int:milestone_pk>/reached/",
        pilots.pilot_milestone_reached,
        name="pilot_milestone_reached",
    ),
    path("pilots/<int:pilot_pk>/updates/", pilots.pilot_update_add, name="pilot_update_add"),
    path("stories/<int:story_pk>/", stories.story_detail, name="story_detail"),
    path(
        "sponsor-reports/unsubscribe/<str:token>/",
        sponsor_report.sponsor_unsubscribe,
        name="sponsor_unsubscribe",
    ),
]
