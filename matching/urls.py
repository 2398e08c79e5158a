from django.urls import URLPattern, URLResolver, path

from .views import intake, overview, runs, theme_versions, themes

app_name = "matching"

RUN = "<int:pk>/runs/<int:run_id>"
THEMES = "<int:pk>/cohorts/<int:cohort_id>/themes"
VERSIONS = f"{THEMES}/versions/<int:set_id>"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/", overview.overview, name="overview"),
    path("<int:pk>/intake/", intake.intake, name="intake"),
    path("<int:pk>/intake/draft/", intake.intake_draft, name="intake_draft"),
    path("<int:pk>/my-group/", overview.my_group, name="my_group"),
    path("<int:pk>/cohorts/<int:cohort_id>/survey/", intake.survey, name="survey"),
    path("<int:pk>/cohorts/<int:cohort_id>/reminders/", intake.send_reminders, name="reminders"),
    path(f"{THEMES}/", themes.themes, name="themes"),
    path(f"{THEMES}/propose/", theme_versions.propose, name="themes_propose"),
    path(f"{THEMES}/propose-guided/", theme_versions.propose_guided, name="themes_propose_guided"),
    path(f"{THEMES}/accept/", themes.accept, name="themes_accept"),
    path(f"{THEMES}/merge/", themes.merge, name="themes_merge"),
    path(f"{THEMES}/new/", themes.create, name="theme_create"),
    path(f"{THEMES}/statements/move/", themes.move_statements, name="statements_move"),
    path(f"{THEMES}/<int:theme_id>/rename/", themes.rename, name="theme_rename"),
    path(f"{THEMES}/<int:theme_id>/delete/", themes.delete, name="theme_delete"),
    path(f"{VERSIONS}/", theme_versions.version, name="theme_version"),
    path(f"{VERSIONS}/progress/", theme_versions.proposal_progress, name="theme_progress"),
    path(f"{VERSIONS}/apply/", theme_versions.apply, name="theme_version_apply"),
    path(f"{VERSIONS}/discard/", theme_versions.discard, name="theme_version_discard"),
    path("<int:pk>/cohorts/<int:cohort_id>/runs/new/", runs.run_new, name="run_new"),
    path("<int:pk>/strategy-warning/", runs.strategy_warning, name="strategy_warning"),
    path("<int:pk>/runs/compare/", runs.run_compare, name="run_compare"),
    path(f"{RUN}/", runs.run_detail, name="run_detail"),
    path(f"{RUN}/progress/", runs.run_progress, name="run_progress"),
    path(f"{RUN}/move/", runs.run_move, name="run_move"),
    path(f"{RUN}/lock/", runs.run_lock, name="run_lock"),
    path(f"{RUN}/publish/", runs.run_publish, name="run_publish"),
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
