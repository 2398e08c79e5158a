"""Pages of group life. The addresses keep the places they always had: group life under
``/matching/``, the reflection journal under ``/evaluation/``."""

from django.urls import URLPattern, URLResolver, include, path

from . import views, views_journal, views_workspace
from .assessments import views as assessments
from .discussions import views as discussions
from .placements import views as placements

app_name = "group_life"

GROUP = "<int:pk>/groups/<int:group_id>"
WORKSPACE = f"{GROUP}/workspace"
PAIR = "<int:pk>/pairs/<int:pair_id>"

group_pages: list[URLPattern | URLResolver] = [
    path("<int:pk>/group-life/", views.group_life, name="group_life"),
    path(f"{WORKSPACE}/", views_workspace.workspace, name="workspace"),
    path(f"{WORKSPACE}/drafts/", views_workspace.add_draft, name="add_draft"),
    path(f"{WORKSPACE}/drafts/<int:draft_id>/distil/", views_workspace.distil, name="distil"),
    path(f"{WORKSPACE}/slots/", views_workspace.add_slot, name="add_slot"),
    path(
        f"{WORKSPACE}/slots/<int:slot_id>/remove/",
        views_workspace.remove_slot,
        name="remove_slot",
    ),
    path(f"{WORKSPACE}/meetings/", views_workspace.log_meeting, name="log_meeting"),
    path(
        f"{WORKSPACE}/session-notes/",
        views_workspace.add_session_note,
        name="add_session_note",
    ),
    path(f"{WORKSPACE}/product/", views_workspace.submit_product, name="submit_product"),
    path(f"{WORKSPACE}/product/score/", views_workspace.score_product, name="score_product"),
    path(f"{WORKSPACE}/progress-board/", views_workspace.set_board, name="set_board"),
    path(f"{GROUP}/product/", views_workspace.product_file, name="product_file"),
    path(f"{GROUP}/blind-side/", views.blind_side, name="blind_side"),
    path(
        f"{GROUP}/blind-side/<int:note_id>/move/",
        views.blind_side_move,
        name="blind_side_move",
    ),
    path("<int:pk>/pairs/", views.pairs, name="pairs"),
    path(f"{PAIR}/", views.pair, name="pair"),
    path(f"{PAIR}/accept/", views.pair_accept, name="pair_accept"),
    path(f"{PAIR}/decline/", views.pair_decline, name="pair_decline"),
    path(f"{PAIR}/visit/", views.pair_visit, name="pair_visit"),
    path(f"{PAIR}/reflection/", views.pair_reflection, name="pair_reflection"),
    path("<int:pk>/progress-board/", views.progress_board, name="progress_board"),
    path("<int:pk>/cross-group/", views.cross_group, name="cross_group"),
]

THREAD = "discussions/threads/<int:thread_id>"
POST = f"{THREAD}/posts/<int:post_id>"

discussion_pages: list[URLPattern | URLResolver] = [
    path("<int:pk>/discussions/", discussions.discussions, name="discussions"),
    path("<int:pk>/discussions/new/", discussions.start_thread, name="start_thread"),
    path(
        "<int:pk>/discussions/notifications/",
        discussions.notifications,
        name="discussion_notifications",
    ),
    path(
        "<int:pk>/discussions/notifications/read/",
        discussions.mark_all_read,
        name="discussion_mark_read",
    ),
    path("<int:pk>/discussions/email/", discussions.email_settings, name="discussion_settings"),
    path(f"{THREAD}/", discussions.thread, name="thread"),
    path(f"{THREAD}/reply/", discussions.reply, name="reply"),
    path(f"{THREAD}/hide/", discussions.hide_thread, name="hide_thread"),
    path(f"{THREAD}/show/", discussions.show_thread, name="show_thread"),
    path(f"{THREAD}/lock/", discussions.lock_thread, name="lock_thread"),
    path(f"{THREAD}/unlock/", discussions.unlock_thread, name="unlock_thread"),
    path(f"{THREAD}/move/", discussions.move_thread, name="move_thread"),
    path(f"{POST}/useful/", discussions.react_useful, name="react_useful"),
    path(f"{POST}/solved/", discussions.react_solved, name="react_solved"),
    path(
        "discussions/unsubscribe/<str:token>/",
        discussions.unsubscribe,
        name="discussion_unsubscribe",
    ),
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

TOOL = "<int:pk>/assessments/<int:tool_id>"
ASSESSMENT = f"{TOOL}/<int:assessment_id>"
PLACEMENT = "<int:pk>/placements/<int:placement_id>"

assessment_pages: list[URLPattern | URLResolver] = [
    path("<int:pk>/assessments/", assessments.assessments, name="assessments"),
    path("<int:pk>/assessments/new/", assessments.tool_create, name="assessment_tool_create"),
    path(f"{TOOL}/", assessments.tool_detail, name="assessment_tool"),
    path(f"{TOOL}/criteria/", assessments.criterion_add, name="assessment_criterion_add"),
    path(f"{TOOL}/self-assessment/", assessments.self_assess, name="self_assess"),
    path(f"{TOOL}/benchmark/", assessments.benchmark, name="benchmark"),
    path(
        f"{TOOL}/criteria/<int:criterion_id>/pair/<int:user_id>/",
        assessments.deviance_pair,
        name="deviance_pair",
    ),
    path(f"{ASSESSMENT}/", assessments.assessment_detail, name="assessment"),
    path(f"{ASSESSMENT}/reviews/", assessments.review_add, name="assessment_review"),
    path("<int:pk>/placements/", placements.placements, name="placements"),
    path("<int:pk>/placements/new/", placements.placement_create, name="placement_create"),
    path(f"{PLACEMENT}/", placements.placement, name="placement"),
    path(f"{PLACEMENT}/check-ins/", placements.placement_check_in, name="placement_check_in"),
    path(f"{PLACEMENT}/reflection/", placements.placement_reflection, name="placement_reflection"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("group-life/", include(assessment_pages)),
    path("matching/", include(group_pages)),
    path("matching/", include(discussion_pages)),
    path("evaluation/", include(journal_pages)),
]
