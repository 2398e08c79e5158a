from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "evaluation"

urlpatterns: list[URLPattern | URLResolver] = [
    path("programmes/<int:pk>/", views.home, name="home"),
    path("programmes/<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("programmes/<int:pk>/report/", views.report, name="report"),
    path(
        "programmes/<int:pk>/export/<str:what>.<str:fmt>",
        views.export,
        name="export",
    ),
    path("programmes/<int:pk>/instruments/", views.instruments, name="instruments"),
    path("programmes/<int:pk>/waves/new/", views.wave_new, name="wave_new"),
    path("programmes/<int:pk>/stories/", views.stories, name="stories"),
    path("programmes/<int:pk>/impact/", views.impact, name="impact"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument"),
    path("instruments/<int:pk>/items/<int:item>/delete/", views.item_delete, name="item_delete"),
    path("waves/<int:pk>/", views.wave_detail, name="wave"),
    path("waves/<int:pk>/answer/", views.answer, name="answer"),
    path("waves/<int:pk>/draft/", views.save_draft, name="draft"),
    path("responses/<int:pk>/", views.response_detail, name="response"),
    path("stories/<int:pk>/", views.story_detail, name="story"),
    path("stories/<int:pk>/follow-up/", views.story_follow_up, name="story_follow_up"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("comparison/<str:token>/", views.comparison, name="comparison"),
]
