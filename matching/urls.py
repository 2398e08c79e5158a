from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "matching"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/intake/", views.intake, name="intake"),
    path("<int:pk>/intake/draft/", views.intake_draft, name="intake_draft"),
    path("<int:pk>/my-group/", views.my_group, name="my_group"),
    path("<int:pk>/cohorts/<int:cohort_id>/survey/", views.survey, name="survey"),
    path("<int:pk>/cohorts/<int:cohort_id>/reminders/", views.send_reminders, name="reminders"),
    path("<int:pk>/cohorts/<int:cohort_id>/themes/", views.themes, name="themes"),
    path("<int:pk>/cohorts/<int:cohort_id>/runs/new/", views.run_new, name="run_new"),
    path("<int:pk>/strategy-warning/", views.strategy_warning, name="strategy_warning"),
    path("<int:pk>/runs/compare/", views.run_compare, name="run_compare"),
    path("<int:pk>/runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("<int:pk>/runs/<int:run_id>/progress/", views.run_progress, name="run_progress"),
    path("<int:pk>/runs/<int:run_id>/move/", views.run_move, name="run_move"),
    path("<int:pk>/runs/<int:run_id>/lock/", views.run_lock, name="run_lock"),
    path("<int:pk>/runs/<int:run_id>/publish/", views.run_publish, name="run_publish"),
    path("<int:pk>/runs/<int:run_id>/leave/", views.run_leave, name="run_leave"),
    path(
        "<int:pk>/runs/<int:run_id>/late-joiners/",
        views.run_place_late_joiners,
        name="run_late_joiners",
    ),
    path(
        "<int:pk>/runs/<int:run_id>/requests/<int:request_id>/",
        views.decide_request,
        name="decide_request",
    ),
]
