"""Foundational engagement: programmes, cohorts, organisations, roles and invitations.

The models live in one module per responsibility; they are all importable from here.
"""

from .activities import Activity, ActivitySeries, Attendance, CalendarFeed, Contact
from .foundations import (
    ChecklistAnswer,
    GoalType,
    LearningObjective,
    PeerObjective,
    TheoryOfChange,
    WorkingGroup,
)
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
    "Attendance",
    "CalendarFeed",
    "ChecklistAnswer",
    "Cohort",
    "Contact",
    "ContractSignature",
    "ContractTemplate",
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
    "Programme",
    "SponsorCommitment",
    "TheoryOfChange",
    "WorkingGroup",
    "knowledge_upload_to",
    "mandate_upload_to",
]
