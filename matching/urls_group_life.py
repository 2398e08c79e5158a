from django.urls import URLPattern, URLResolver, path

from . import views_group_life as views

urlpatterns: list[URLPattern | URLResolver] = [
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
