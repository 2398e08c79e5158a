from django.urls import URLPattern, URLResolver, path

from .views import answering, dashboard, exports, instruments, links, plan, stories

app_name = "evaluation"

urlpatterns: list[URLPattern | URLResolver] = [
    path("programmes/<int:pk>/", answering.home, name="home"),
    path("programmes/<int:pk>/dashboard/", dashboard.dashboard, name="dashboard"),
    path("programmes/<int:pk>/report/", dashboard.report, name="report"),
    path("programmes/<int:pk>/plan/", plan.plan_page, name="plan"),
    path("programmes/<int:pk>/plan/links/", plan.plan_link, name="plan_link"),
    path(
        "programmes/<int:pk>/plan/links/<int:link_id>/remove/",
        plan.plan_unlink,
        name="plan_unlink",
    ),
    path(
        "programmes/<int:pk>/export/<str:what>.<str:fmt>",
        exports.export,
        name="export",
    ),
    path("programmes/<int:pk>/exports/", exports.exports_page, name="exports"),
    path("programmes/<int:pk>/exports/new/", exports.export_request, name="export_request"),
    path(
        "programmes/<int:pk>/exports/<int:job_id>/progress/",
        exports.export_progress,
        name="export_progress",
    ),
    path(
        "programmes/<int:pk>/exports/<int:job_id>/download/",
        exports.export_download,
        name="export_download",
    ),
    path("programmes/<int:pk>/instruments/", instruments.instruments, name="instruments"),
    path("programmes/<int:pk>/waves/new/", instruments.wave_new, name="wave_new"),
    path("programmes/<int:pk>/stories/", stories.stories, name="stories"),
    path("programmes/<int:pk>/impact/", dashboard.impact, name="impact"),
    path(
        "programmes/<int:pk>/impact/indicators/",
        dashboard.impact_indicator_add,
        name="impact_indicator_add",
    ),
    path(
        "programmes/<int:pk>/impact/observations/",
        dashboard.impact_observation_add,
        name="impact_observation_add",
    ),
    path("instruments/<int:pk>/", instruments.instrument_detail, name="instrument"),
    path(
        "instruments/<int:pk>/items/<int:item>/delete/",
        instruments.item_delete,
        name="item_delete",
    ),
    path("waves/<int:pk>/", instruments.wave_detail, name="wave"),
    path("waves/<int:pk>/answer/", answering.answer, name="answer"),
    path("waves/<int:pk>/draft/", answering.save_draft, name="draft"),
    path("waves/<int:pk>/questions/<int:item_pk>/peers/", answering.find_peers, name="find_peers"),
    path("responses/<int:pk>/", answering.response_detail, name="response"),
    path("stories/<int:pk>/", stories.story_detail, name="story"),
    path("stories/<int:pk>/follow-up/", stories.story_follow_up, name="story_follow_up"),
    path("unsubscribe/<str:token>/", links.unsubscribe, name="unsubscribe"),
    path("comparison/<str:token>/", links.comparison, name="comparison"),
]
