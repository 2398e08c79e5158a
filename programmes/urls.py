from django.urls import path

from . import views, views_activities, views_agenda, views_people, views_setup

app_name = "programmes"

urlpatterns = [
    path("new/", views_setup.programme_create, name="create"),
    path("calendar/<str:token>.ics", views_activities.calendar_feed, name="calendar"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/edit/", views_setup.programme_edit, name="edit"),
    path("<int:pk>/setup/", views_setup.setup, name="setup"),
    path("<int:pk>/theory-of-change/", views_setup.theory_edit, name="theory"),
    path("<int:pk>/objectives/", views_setup.objectives, name="objectives"),
    path(
        "<int:pk>/objectives/<int:objective>/delete/",
        views_setup.objective_delete,
        name="objective_delete",
    ),
    path("<int:pk>/checklist/", views_setup.checklist, name="checklist"),
    path("<int:pk>/cohorts/", views_setup.cohorts, name="cohorts"),
    path("<int:pk>/cohorts/add/", views_setup.cohort_add, name="cohort_add"),
    path(
        "<int:pk>/cohorts/working-groups/add/",
        views_setup.working_group_add,
        name="working_group_add",
    ),
    path("<int:pk>/overview/", views_setup.overview, name="overview"),
    path("<int:pk>/my-objectives/", views_setup.my_objectives, name="my_objectives"),
    path(
        "<int:pk>/my-objectives/<int:objective>/delete/",
        views_setup.my_objective_delete,
        name="my_objective_delete",
    ),
    path("<int:pk>/peers/import/", views_people.peer_import, name="import"),
    path(
        "<int:pk>/peers/import/<int:import_id>/",
        views_people.import_preview,
        name="import_preview",
    ),
    path(
        "<int:pk>/invitations/<int:invitation>/resend/",
        views_people.invitation_resend,
        name="invitation_resend",
    ),
    path("<int:pk>/organisations/", views_people.organisations, name="organisations"),
    path("<int:pk>/nominations/", views_people.nominations, name="nominations"),
    path("<int:pk>/nominations/authorise/<str:email>/", views_people.authorise, name="authorise"),
    path("<int:pk>/nominations/<int:nomination>/mandate/", views_people.mandate, name="mandate"),
    path(
        "<int:pk>/commitment/<int:organisation>/",
        views_people.sponsor_commitment,
        name="sponsor_commitment",
    ),
    path("<int:pk>/contract/", views_people.contract, name="contract"),
    path("<int:pk>/contract/edit/", views_people.contract_edit, name="contract_edit"),
    path(
        "<int:pk>/contract/<int:signature>/countersign/",
        views_people.countersign,
        name="countersign",
    ),
    path("<int:pk>/charter/", views_people.charter, name="charter"),
    path("<int:pk>/activities/", views_activities.activities, name="activities"),
    path(
        "<int:pk>/activities/<int:activity>/conversation-tool/",
        views_agenda.attach_tool,
        name="activity_tool",
    ),
    path("<int:pk>/agenda/", views_agenda.agenda, name="agenda"),
    path("<int:pk>/agenda/topics/", views_agenda.propose_topic, name="agenda_propose"),
    path("<int:pk>/agenda/topics/<int:topic_id>/", views_agenda.topic, name="agenda_topic"),
    path(
        "<int:pk>/agenda/topics/<int:topic_id>/vote/",
        views_agenda.vote_topic,
        name="agenda_vote",
    ),
    path(
        "<int:pk>/agenda/topics/<int:topic_id>/comments/",
        views_agenda.comment_topic,
        name="agenda_comment",
    ),
    path(
        "<int:pk>/agenda/topics/<int:topic_id>/activity/",
        views_agenda.schedule_topic,
        name="agenda_schedule",
    ),
    path("<int:pk>/agenda/polls/", views_agenda.create_poll, name="poll_create"),
    path(
        "<int:pk>/agenda/polls/<int:poll_id>/answer/", views_agenda.answer_poll, name="poll_answer"
    ),
    path("<int:pk>/governance/", views_agenda.governance, name="governance"),
    path(
        "<int:pk>/governance/members/",
        views_agenda.add_steering_member,
        name="steering_member_add",
    ),
    path(
        "<int:pk>/governance/meetings/",
        views_agenda.record_steering_meeting,
        name="steering_meeting_add",
    ),
    path(
        "<int:pk>/governance/decisions/",
        views_agenda.record_decision,
        name="steering_decision_add",
    ),
    path("<int:pk>/governance/resources/", views_agenda.add_resource, name="resource_add"),
    path("<int:pk>/activities/new/", views_activities.activity_create, name="activity_create"),
    path(
        "<int:pk>/activities/<int:activity>/",
        views_activities.activity_detail,
        name="activity_detail",
    ),
    path(
        "<int:pk>/activities/<int:activity>/attendance/<int:membership>/",
        views_activities.attendance_toggle,
        name="attendance",
    ),
    path(
        "<int:pk>/activities/<int:activity>/certificate/",
        views_activities.certificate,
        name="certificate",
    ),
    path("<int:pk>/calendar/renew/", views_activities.calendar_renew, name="calendar_renew"),
    path("<int:pk>/contacts/", views_activities.contacts, name="contacts"),
    path(
        "<int:pk>/contacts/<int:contact>/confirm/",
        views_activities.contact_confirm,
        name="contact_confirm",
    ),
    path("<int:pk>/library/", views_activities.library, name="library"),
    path("<int:pk>/library/<int:product>/", views_activities.library_item, name="library_item"),
    path(
        "<int:pk>/library/<int:product>/download/",
        views_activities.library_download,
        name="library_download",
    ),
]
