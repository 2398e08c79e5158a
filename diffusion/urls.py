from django.urls import path

from . import views

app_name = "diffusion"

urlpatterns = [
    path("programmes/<int:pk>/", views.overview, name="overview"),
    path("programmes/<int:pk>/graph/", views.graph_page, name="graph"),
    path("programmes/<int:pk>/plan/", views.plan_edit, name="plan_edit"),
    path(
        "programmes/<int:pk>/report-backs/new/", views.report_back_create, name="report_back_create"
    ),
    path("programmes/<int:pk>/chapters/new/", views.chapter_create, name="chapter_create"),
    path("programmes/<int:pk>/pilots/new/", views.pilot_create, name="pilot_create"),
    path("programmes/<int:pk>/stories/new/", views.story_create, name="story_create"),
    path("programmes/<int:pk>/sponsor-report/", views.sponsor_report, name="sponsor_report"),
    path(
        "programmes/<int:pk>/sponsor-report/subscription/",
        views.sponsor_subscription,
        name="sponsor_subscription",
    ),
    path("plans/<int:plan_pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_pk>/activities/", views.plan_activity_add, name="plan_activity_add"),
    path("plans/<int:plan_pk>/confirm/", views.plan_confirm, name="plan_confirm"),
    path("report-backs/<int:report_back_pk>/", views.report_back_detail, name="report_back_detail"),
    path(
        "report-backs/<int:report_back_pk>/attendees/",
        views.report_back_attendees,
        name="report_back_attendees",
    ),
    path(
        "report-backs/<int:report_back_pk>/materials/",
        views.report_back_materials,
        name="report_back_materials",
    ),
    path("share/<str:token>/", views.feedback, name="feedback"),
    path("chapters/<int:chapter_pk>/", views.chapter_detail, name="chapter_detail"),
    path("chapters/<int:chapter_pk>/members/", views.chapter_member_add, name="chapter_member_add"),
    path(
        "chapters/<int:chapter_pk>/meetings/", views.chapter_meeting_add, name="chapter_meeting_add"
    ),
    path("pilots/<int:pilot_pk>/", views.pilot_detail, name="pilot_detail"),
    path("pilots/<int:pilot_pk>/steps/", views.pilot_step_add, name="pilot_step_add"),
    path(
        "pilots/<int:pilot_pk>/milestones/", views.pilot_milestone_add, name="pilot_milestone_add"
    ),
    path(
        "pilots/<int:pilot_pk>/milestones/<int:milestone_pk>/reached/",
        views.pilot_milestone_reached,
        name="pilot_milestone_reached",
    ),
    path("pilots/<int:pilot_pk>/updates/", views.pilot_update_add, name="pilot_update_add"),
    path("stories/<int:story_pk>/", views.story_detail, name="story_detail"),
    path(
        "sponsor-reports/unsubscribe/<str:token>/",
        views.sponsor_unsubscribe,
        name="sponsor_unsubscribe",
    ),
]
