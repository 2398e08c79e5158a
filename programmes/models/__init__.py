"""Foundational engagement: programmes, cohorts, organisations, roles and invitations.

The models live in one module per responsibility; they are all importable from here.
"""

from .activities import Activity, ActivitySeries, Attendance, CalendarFeed, Contact
from .agenda import AgendaTopic, Poll, PollOption, PollVote, TopicComment, TopicVote
from .foundations import (
    ChecklistAnswer,
    GoalType,
    LearningObjective,
    PeerObjective,
    TheoryOfChange,
    WorkingGroup,
)
from .governance import Funder, Resource, SteeringDecision, SteeringMeeting, SteeringMember
from .library import KnowledgeProduct, KnowledgeTag
from .people import (
    ContractSignature,
    ContractTemplate,
    Invitation,
    Nomination,
    PeerImport,
    SponsorCommitment,
)
from .programme import Cohort, Membership, Organisation, Programme
from .uploads import knowledge_upload_to, mandate_upload_to

__all__ = [
    "Activity",
    "ActivitySeries",
    "AgendaTopic",
    "Attendance",
    "CalendarFeed",
    "ChecklistAnswer",
    "Cohort",
    "Contact",
    "ContractSignature",
    "ContractTemplate",
    "Funder",
    "GoalType",
    "Invitation",
    "KnowledgeProduct",
    "KnowledgeTag",
    "LearningObjective",
    "Membership",
    "Nomination",
    "Organisation",
    "PeerImport",
    "PeerObjective",
    "Poll",
    "PollOption",
    "PollVote",
    "Programme",
    "Resource",
    "SponsorCommitment",
    "SteeringDecision",
    "SteeringMeeting",
    "SteeringMember",
    "TheoryOfChange",
    "TopicComment",
    "TopicVote",
    "WorkingGroup",
    "knowledge_upload_to",
    "mandate_upload_to",
]
