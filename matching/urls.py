from django.urls import URLPattern, URLResolver, path

from .views import intake, overview, review, runs, themes

app_name = "matching"

RUN = "<int:pk>/runs/<int:run_id>"
THEMES = "<int:pk>/cohorts/<int:cohort_id>/themes"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/", overview.overview, name="overview"),
    path("<int:pk>/intake/", intake.intake, name="intake"),
    path("<int:pk>/intake/draft/", intake.intake_draft, name="intake_draft"),
    path("<int:pk>/my-group/", overview.my_group, name="my_group"),
    path("<int:pk>/cohorts/<int:cohort_id>/survey/", intake.survey, name="survey"),
    path("<int:pk>/cohorts/<int:cohort_id>/reminders/", intake.send_reminders, name="reminders"),
    path(f"{THEMES}/", themes.themes, name="themes"),
    path(f"{THEMES}/propose/", themes.propose, name="themes_propose"),
    path(f"{THEMES}/accept/", themes.accept, name="themes_accept"),
    path(f"{THEMES}/<int:theme_id>/rename/", themes.rename, name="theme_rename"),
    path(f"{THEMES}/<int:theme_id>/merge/", themes.merge, name="theme_merge"),
    path(f"{THEMES}/<int:theme_id>/split/", themes.split, name="theme_split"),
    path(f"{THEMES}/<int:theme_id>/delete/", themes.delete, name="theme_delete"),
    path(
        f"{THEMES}/statements/<int:challenge_id>/move/",
        themes.move_statement,
        name="statement_move",
    ),
    path("<int:pk>/cohorts/<int:cohort_id>/runs/new/", runs.run_new, name="run_new"),
    path("<int:pk>/cohorts/<int:cohort_id>/peers/search/", runs.peer_search, name="peer_search"),
    path("<int:pk>/strategy-warning/", runs.strategy_warning, name="strategy_warning"),
    path("<int:pk>/runs/compare/", runs.run_compare, name="run_compare"),
    path(f"{RUN}/", runs.run_detail, name="run_detail"),
    path(f"{RUN}/progress/", runs.run_progress, name="run_progress"),
    path(f"{RUN}/move/", review.run_move, name="run_move"),
    path(f"{RUN}/members/search/", review.member_search, name="member_search"),
    path(f"{RUN}/lock/", review.run_lock, name="run_lock"),
    path(f"{RUN}/publish/", review.run_publish, name="run_publish"),
    path(f"{RUN}/choice/", runs.run_choice, name="run_choice"),
    path(f"{RUN}/leave/", runs.run_leave, name="run_leave"),
    path(f"{RUN}/late-joiners/", runs.run_place_late_joiners, name="run_late_joiners"),
    path(
        f"{RUN}/requests/<int:request_id>/approve/",
        runs.approve_request,
        name="approve_request",
    ),
    path(
        f"{RUN}/requests/<int:request_id>/decline/",
        runs.decline_request,
        name="decline_request",
    ),
]
