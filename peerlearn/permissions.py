"""Every permission rule of PeerLearn, in one place.

Rules are ``django-rules`` predicates over ``(user, object)``. Views call ``user.has_perm(...)``
(or the ``require_perm`` helper), the API uses :class:`peerlearn.api.RulesPermission`, and
templates use ``{% has_perm %}`` from ``rules``. Querysets are scoped by each app's
``selectors.py``, so an object outside a user's programmes is never even found (404).

A person's roles in a programme are read once per request and cached on the user object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules

from peerlearn.roles import Role

if TYPE_CHECKING:
    from programmes.models import Programme

_CACHE_ATTR = "_peerlearn_roles"


def programme_of(obj: Any) -> Programme | None:
    """The programme an object belongs to: the object itself, or its ``programme`` attribute."""
    from programmes.models import Programme

    if obj is None:
        return None
    if isinstance(obj, Programme):
        return obj
    programme = getattr(obj, "programme", None)
    return programme if isinstance(programme, Programme) else None


def roles_in(user: Any, programme: Programme | None) -> frozenset[str]:
    """The set of roles ``user`` holds in ``programme`` (empty for anonymous users)."""
    if programme is None or user is None or not user.is_authenticated:
        return frozenset()
    cache: dict[int, frozenset[str]] | None = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    if programme.pk not in cache:
        from programmes.models import Membership

        cache[programme.pk] = frozenset(
            Membership.objects.filter(user=user, programme=programme).values_list("role", flat=True)
        )
    return cache[programme.pk]


def forget_roles(user: Any) -> None:
    """Drop the cached roles (after a membership changes within a request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _has_role(role: str) -> Any:
    def predicate(user: Any, obj: Any = None) -> bool:
        return role in roles_in(user, programme_of(obj))

    predicate.__name__ = f"is_{role}_of"
    return rules.predicate(predicate)


is_facilitator_of = _has_role(Role.FACILITATOR)
is_peer_in = _has_role(Role.PEER)
is_manager_of = _has_role(Role.MANAGER)
is_sponsor_in = _has_role(Role.SPONSOR)


@rules.predicate
def is_member_of(user: Any, obj: Any = None) -> bool:
    """Holds any role in the object's programme."""
    return bool(roles_in(user, programme_of(obj)))


@rules.predicate
def is_site_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


# Programmes
rules.add_perm("programmes.view_programme", is_member_of | is_site_admin)
rules.add_perm("programmes.change_programme", is_facilitator_of | is_site_admin)
rules.add_perm("programmes.invite_people", is_facilitator_of | is_site_admin)
rules.add_perm("programmes.view_people", is_facilitator_of | is_manager_of | is_site_admin)
rules.add_perm("programmes.view_evaluation", is_manager_of | is_facilitator_of | is_site_admin)
rules.add_perm("programmes.view_organisation_peers", is_sponsor_in | is_facilitator_of)


@rules.predicate
def may_create_programmes(user: Any) -> bool:
    """Staff, site admins, and anyone who facilitates a programme already."""
    from programmes.models import Membership

    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return Membership.objects.filter(user=user, role=Role.FACILITATOR).exists()


@rules.predicate
def is_sponsor_of_organisation(user: Any, obj: Any = None) -> bool:
    """Sponsor of the organisation the object is about (a nomination, a peer's signature)."""
    from programmes.models import Membership

    programme = programme_of(obj)
    if programme is None or Role.SPONSOR not in roles_in(user, programme):
        return False
    organisation_id = getattr(obj, "organisation_id", None)
    if organisation_id is None and hasattr(obj, "membership"):
        organisation_id = obj.membership.organisation_id
    return (
        organisation_id is not None
        and Membership.objects.filter(
            user=user, programme=programme, role=Role.SPONSOR, organisation_id=organisation_id
        ).exists()
    )


@rules.predicate
def is_other_side_of_contact(user: Any, obj: Any = None) -> bool:
    return obj is not None and getattr(obj, "with_user_id", None) == user.pk


rules.add_perm("programmes.create_programme", may_create_programmes)
rules.add_perm("programmes.view_overview", is_facilitator_of | is_manager_of | is_site_admin)
rules.add_perm("programmes.import_peers", is_facilitator_of | is_site_admin)
rules.add_perm("programmes.manage_organisations", is_facilitator_of | is_site_admin)
rules.add_perm("programmes.view_organisations", is_member_of | is_site_admin)
rules.add_perm("programmes.nominate_peers", is_sponsor_in)
rules.add_perm("programmes.authorise_nominee", is_sponsor_of_organisation)
rules.add_perm("programmes.sign_contract", is_peer_in)
rules.add_perm("programmes.countersign_contract", is_sponsor_of_organisation)
rules.add_perm("programmes.view_contracts", is_facilitator_of | is_sponsor_in | is_site_admin)
rules.add_perm("programmes.keep_own_objectives", is_peer_in)
rules.add_perm("programmes.view_activities", is_member_of | is_site_admin)
rules.add_perm("programmes.manage_activities", is_facilitator_of | is_site_admin)
rules.add_perm("programmes.take_attendance", is_facilitator_of | is_site_admin)
rules.add_perm("programmes.log_contact", is_peer_in)
rules.add_perm("programmes.view_contacts", is_member_of | is_site_admin)
rules.add_perm("programmes.confirm_contact", is_other_side_of_contact)
rules.add_perm("programmes.view_knowledge", is_member_of | is_site_admin)
rules.add_perm("programmes.add_knowledge", is_peer_in | is_facilitator_of | is_site_admin)
rules.add_perm(
    "programmes.view_mandate", is_sponsor_of_organisation | is_facilitator_of | is_site_admin
)
# Organisations belong to no programme: the API lists only those of the user's programmes.
rules.add_perm("programmes.view_listed_organisation", rules.is_authenticated)

# Matching (intake, themes, matching runs, groups)


@rules.predicate
def is_own_intake(user: Any, response: Any = None) -> bool:
    """The intake answers are the user's own."""
    return bool(user.is_authenticated and getattr(response, "user_id", None) == user.pk)


@rules.predicate
def is_member_of_published_group(user: Any, group: Any = None) -> bool:
    """The user is a member of this group, and its matching run is published."""
    if group is None or not user.is_authenticated or not hasattr(group, "run"):
        return False
    return bool(group.run.published_at and group.members.filter(user=user).exists())


rules.add_perm(
    "matching.view_matching", is_facilitator_of | is_manager_of | is_peer_in | is_site_admin
)
rules.add_perm("matching.manage_matching", is_facilitator_of | is_site_admin)
rules.add_perm("matching.view_runs", is_facilitator_of | is_manager_of | is_site_admin)
rules.add_perm("matching.fill_intake", is_peer_in)
rules.add_perm("matching.view_intake", is_own_intake | is_facilitator_of | is_site_admin)
rules.add_perm("matching.view_themes", is_facilitator_of | is_manager_of | is_site_admin)
rules.add_perm(
    "matching.view_group",
    is_facilitator_of | is_manager_of | is_site_admin | is_member_of_published_group,
)
rules.add_perm("matching.view_my_group", is_peer_in)
rules.add_perm("matching.request_move", is_peer_in)


# Evaluation (instruments, waves, responses, indicators, dashboards)
@rules.predicate
def is_builtin_instrument(user: Any, obj: Any = None) -> bool:
    """A built-in instrument (no programme): readable by every signed-in person."""
    from evaluation.models import Instrument

    return bool(user.is_authenticated and isinstance(obj, Instrument) and obj.is_builtin)


@rules.predicate
def is_respondent(user: Any, obj: Any = None) -> bool:
    return user.is_authenticated and getattr(obj, "respondent_id", None) == user.pk


@rules.predicate
def is_story_author(user: Any, obj: Any = None) -> bool:
    return user.is_authenticated and getattr(obj, "author_id", None) == user.pk


@rules.predicate
def is_invited_to_wave(user: Any, obj: Any = None) -> bool:
    """A peer of the wave's programme, in the wave's cohort when the wave has one."""
    from evaluation.selectors import is_invited

    return is_invited(user, obj)


@rules.predicate
def can_read_story(user: Any, obj: Any = None) -> bool:
    from evaluation.selectors import story_readable_by

    return story_readable_by(user, obj)


_evaluation_staff = is_manager_of | is_facilitator_of | is_site_admin
rules.add_perm("evaluation.view_section", is_member_of | is_site_admin)
rules.add_perm("evaluation.take_part", is_peer_in)
rules.add_perm("evaluation.view_dashboard", _evaluation_staff)
rules.add_perm("evaluation.export", _evaluation_staff)
rules.add_perm("evaluation.manage_instruments", is_facilitator_of | is_site_admin)
rules.add_perm("evaluation.manage_waves", is_facilitator_of | is_site_admin)
rules.add_perm("evaluation.manage_impact", is_facilitator_of | is_site_admin)
rules.add_perm("evaluation.view_instrument", is_builtin_instrument | is_member_of | is_site_admin)
rules.add_perm("evaluation.view_wave", _evaluation_staff | is_invited_to_wave)
rules.add_perm("evaluation.answer_wave", is_invited_to_wave)
rules.add_perm("evaluation.view_wave_responses", _evaluation_staff)
rules.add_perm("evaluation.view_response", is_respondent | _evaluation_staff)
rules.add_perm("evaluation.view_story", can_read_story)
rules.add_perm("evaluation.follow_up_story", is_story_author)

# Diffusion (diffusion plans, report-backs, chapters, pilots, sponsor reports)


@rules.predicate
def is_diffusion_owner(user: Any, obj: Any = None) -> bool:
    """The peer a diffusion object belongs to (plan, report-back, pilot lead, chapter founder)."""
    if obj is None or not user.is_authenticated:
        return False
    for attribute in ("peer_id", "lead_id", "founded_by_id"):
        owner_id = getattr(obj, attribute, None)
        if owner_id is not None:
            return bool(owner_id == user.pk)
    return False


@rules.predicate
def is_cohort_peer_of_owner(user: Any, obj: Any = None) -> bool:
    """A peer of the same cohort as the peer a diffusion object belongs to (or that peer)."""
    from programmes.models import Membership

    programme = programme_of(obj)
    if programme is None or Role.PEER not in roles_in(user, programme):
        return False
    owner_id = next(
        (
            getattr(obj, attribute)
            for attribute in ("peer_id", "lead_id", "founded_by_id")
            if getattr(obj, attribute, None) is not None
        ),
        None,
    )
    if owner_id is None:
        return False
    if owner_id == user.pk:
        return True
    cohorts = Membership.objects.filter(
        user=user, programme=programme, role=Role.PEER, cohort__isnull=False
    ).values("cohort")
    return Membership.objects.filter(
        user_id=owner_id, programme=programme, role=Role.PEER, cohort__in=cohorts
    ).exists()


_diffusion_staff = is_facilitator_of | is_manager_of | is_site_admin
rules.add_perm("diffusion.view_diffusion", is_member_of | is_site_admin)
rules.add_perm("diffusion.log_report_back", is_peer_in)
rules.add_perm(
    "diffusion.view_report_back",
    is_diffusion_owner | _diffusion_staff | is_sponsor_of_organisation,
)
rules.add_perm("diffusion.change_report_back", is_diffusion_owner | is_facilitator_of)
rules.add_perm("diffusion.make_plan", is_peer_in)
rules.add_perm(
    "diffusion.view_plan", is_diffusion_owner | _diffusion_staff | is_sponsor_of_organisation
)
rules.add_perm("diffusion.change_plan", is_diffusion_owner)
rules.add_perm("diffusion.confirm_plan", is_sponsor_of_organisation)
rules.add_perm("diffusion.add_chapter", is_peer_in)
rules.add_perm(
    "diffusion.view_chapter",
    is_cohort_peer_of_owner | _diffusion_staff | is_sponsor_of_organisation,
)
rules.add_perm("diffusion.change_chapter", is_diffusion_owner | is_facilitator_of)
rules.add_perm("diffusion.add_pilot", is_peer_in)
rules.add_perm(
    "diffusion.view_pilot",
    is_cohort_peer_of_owner | _diffusion_staff | is_sponsor_of_organisation,
)
rules.add_perm("diffusion.change_pilot", is_diffusion_owner | is_facilitator_of)
rules.add_perm("diffusion.comment_pilot", is_cohort_peer_of_owner | is_facilitator_of)
rules.add_perm("diffusion.add_story", is_peer_in | is_facilitator_of)


@rules.predicate
def is_cohort_peer_of_story(user: Any, obj: Any = None) -> bool:
    """A peer of the cohort of the peer who recorded an impact story, or of a peer it involves."""
    from diffusion.selectors import stories_visible_to

    programme = programme_of(obj)
    if programme is None or Role.PEER not in roles_in(user, programme):
        return False
    return bool(stories_visible_to(user).filter(pk=obj.pk).exists())


rules.add_perm(
    "diffusion.view_story",
    is_cohort_peer_of_story | _diffusion_staff | is_sponsor_of_organisation,
)
rules.add_perm("diffusion.view_sponsor_report", is_sponsor_in | _diffusion_staff)

# Group life (group and pair workspace, Blind Side board, reflection journal)


@rules.predicate
def is_in_published_group(user: Any, obj: Any = None) -> bool:
    """A member of the published group the object is (or belongs to)."""
    from matching.selectors_group_life import is_group_member

    group = getattr(obj, "group", obj)
    return is_group_member(user, group)


@rules.predicate
def is_in_pair(user: Any, obj: Any = None) -> bool:
    return bool(user.is_authenticated and obj is not None and obj.involves(user.pk))


@rules.predicate
def is_asked_to_pair(user: Any, obj: Any = None) -> bool:
    return bool(user.is_authenticated and getattr(obj, "requested_of_id", None) == user.pk)


@rules.predicate
def can_read_reflection(user: Any, obj: Any = None) -> bool:
    from evaluation.selectors_reflection import reflection_readable_by

    return reflection_readable_by(user, obj)


rules.add_perm("matching.view_group_life", is_peer_in | is_facilitator_of | is_site_admin)
rules.add_perm("matching.view_workspace", is_in_published_group | is_facilitator_of | is_site_admin)
rules.add_perm("matching.contribute_to_group", is_in_published_group)
rules.add_perm("matching.score_product", is_facilitator_of | is_site_admin)
rules.add_perm("matching.manage_sub_groups", is_facilitator_of | is_site_admin)
rules.add_perm("matching.view_progress_board", is_member_of | is_site_admin)
rules.add_perm("matching.request_pair", is_peer_in)
rules.add_perm("matching.view_pair", is_in_pair | is_facilitator_of | is_site_admin)
rules.add_perm("matching.answer_pair", is_asked_to_pair)
rules.add_perm("matching.plan_pair", is_in_pair)
rules.add_perm("evaluation.keep_journal", is_peer_in)
rules.add_perm("evaluation.view_reflection", can_read_reflection)
rules.add_perm("evaluation.send_reflection_prompt", is_facilitator_of | is_site_admin)
