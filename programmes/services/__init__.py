"""Writes for programmes, one module per noun: the programme and its foundations, invitations,
peer import, organisations and nominations, contracts, activities, contacts, the library, and
the nightly clean-up. Every service is importable from here (``from programmes import
services``); other stages call them this way.
"""

from .activities import (
    calendar_feed_for,
    cancel_activity,
    check_activity_organisations,
    occurrence_starts,
    save_site_visit,
    schedule_activity,
    set_attendance,
    update_activity,
)
from .agenda import (
    answer_poll,
    attach_conversation_tool,
    comment_on_topic,
    create_poll,
    propose_topic,
    schedule_topic,
    toggle_topic_vote,
)
from .contacts import confirm_contact, log_contact, log_contacts_in_bulk
from .contracts import (
    acknowledge_charter,
    countersign_contract,
    save_contract_template,
    sign_contract,
)
from .errors import InvitationError, StageOneError
from .governance import (
    add_resource,
    add_steering_member,
    record_decision,
    record_steering_meeting,
    remove_steering_member,
)
from .housekeeping import PEER_IMPORT_KEPT_DAYS, expire_stale_invitations, purge_stale_peer_imports
from .invitations import (
    accept_invitation,
    invitation_url,
    invite_person,
    register_from_invitation,
    resend_invitation,
    send_invitation_email,
    send_waiting_invitations,
)
from .library import add_knowledge_product, count_knowledge_use
from .organisations import (
    authorise_nomination,
    create_organisation,
    nominate_peer,
    save_sponsor_commitment,
    withdraw_authorisation,
)
from .peer_import import commit_peer_import, preview_peer_import
from .programme import (
    MAX_OBJECTIVES_ADVISED,
    add_cohort,
    add_learning_objective,
    add_peer_objective,
    add_working_group,
    create_programme,
    delete_learning_objective,
    delete_peer_objective,
    save_checklist_answers,
    save_theory_of_change,
    update_programme,
)

__all__ = [
    "MAX_OBJECTIVES_ADVISED",
    "PEER_IMPORT_KEPT_DAYS",
    "InvitationError",
    "StageOneError",
    "accept_invitation",
    "acknowledge_charter",
    "add_cohort",
    "add_knowledge_product",
    "add_learning_objective",
    "add_peer_objective",
    "add_resource",
    "add_steering_member",
    "add_working_group",
    "answer_poll",
    "attach_conversation_tool",
    "authorise_nomination",
    "calendar_feed_for",
    "cancel_activity",
    "check_activity_organisations",
    "comment_on_topic",
    "commit_peer_import",
    "confirm_contact",
    "count_knowledge_use",
    "countersign_contract",
    "create_organisation",
    "create_poll",
    "create_programme",
    "delete_learning_objective",
    "delete_peer_objective",
    "expire_stale_invitations",
    "invitation_url",
    "invite_person",
    "log_contact",
    "log_contacts_in_bulk",
    "nominate_peer",
    "occurrence_starts",
    "preview_peer_import",
    "propose_topic",
    "purge_stale_peer_imports",
    "record_decision",
    "record_steering_meeting",
    "register_from_invitation",
    "remove_steering_member",
    "resend_invitation",
    "save_checklist_answers",
    "save_contract_template",
    "save_site_visit",
    "save_sponsor_commitment",
    "save_theory_of_change",
    "schedule_activity",
    "schedule_topic",
    "send_invitation_email",
    "send_waiting_invitations",
    "set_attendance",
    "sign_contract",
    "toggle_topic_vote",
    "update_activity",
    "update_programme",
    "withdraw_authorisation",
]
