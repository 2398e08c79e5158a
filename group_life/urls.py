"""Pages of group life. The addresses keep the places they always had: group life under
``/matching/``, the reflection journal under ``/evaluation/``."""

from django.urls import URLPattern, URLResolver, include, path

from . import views, views_journal

app_name = "group_life"

group_pages: list[URLPattern | URLResolver] = [
    path("<int:pk>/group-life/", views.group_life, name="group_life"),
    path("<int:pk>/groups/<int:group_id>/workspace/", views.workspace, name="workspace"),
    path("<int:pk>/groups/<int:group_id>/product/", views.product_file, name="product_file"),
    path("<int:pk>/groups/<int:group_id>/blind-side/", views.blind_side, name="blind_side"),
    path(
        "<int:pk>/groups/<int:group_id>/blind-side/<int:note_id>/move/",
        views.blind_side_move,
        name="blind_side_move",
    ),
    path("<int:pk>/pairs/", views.pairs, name="pairs"),
    path("<int:pk>/pairs/<int:pair_id>/", views.pair, name="pair"),
    path("<int:pk>/progress-board/", views.progress_board, name="progress_board"),
    path("<int:pk>/cross-group/", views.cross_group, name="cross_group"),
]

journal_pages: list[URLPattern | URLResolver] = [
    path("programmes/<int:pk>/journal/", views_journal.journal, name="journal"),
    path(
        "programmes/<int:pk>/groups/<int:group_id>/prompts/",
        views_journal.send_prompt,
        name="reflection_prompt",
    ),
    path("reflections/<int:pk>/", views_journal.reflection, name="reflection"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("matching/", include(group_pages)),
    path("evaluation/", include(journal_pages)),
]
