"""``propose_replacement``: rank candidates to take the place of a peer who leaves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .features import features_for, norm, theme_keys
from .languages import common_languages, language_name
from .models import Options, Peer
from .prepare import quoted
from .results import Reason, ReplacementCandidate, join_words
from .scoring import feature_counts
from .search import EPS


def propose_replacement(
    group: Sequence[Peer],
    leaving_peer_id: str,
    candidates: Sequence[Peer],
    options: Options | None = None,
    *,
    group_label: str | None = None,
) -> list[ReplacementCandidate]:
    """Rank candidates to take the place of ``leaving_peer_id`` in ``group``.

    Order: candidates that break no hard constraint first; then those who would not be
    isolated; then the largest gain (affinity to the remaining members under the strategy);
    then the most themes in common with the leaving peer; then input order.
    """
    options = options or Options()
    cons = options.constraints
    remaining = [p for p in group if p.id != leaving_peer_id]
    leaving = next((p for p in group if p.id == leaving_peer_id), None)
    in_group = {p.id for p in group}
    pool = [c for c in dict((c.id, c) for c in candidates).values() if c.id not in in_group]
    everyone = remaining + pool
    fs = features_for(everyone, options)
    iso_weight = fs.iso_weight
    counts = feature_counts(fs, list(range(len(remaining))))
    leaving_themes = set(theme_keys(leaving)) if leaving else set()
    apart: dict[str, set[str]] = {}
    for ids in cons.keep_apart:
        for a in ids:
            apart.setdefault(a, set()).update(b for b in ids if b != a)
    scored: list[tuple[tuple[int, int, float, int, int], ReplacementCandidate]] = []
    for k, cand in enumerate(pool):
        idx = len(remaining) + k
        gain = sum(fs.weight[f] * counts.get(f, 0) for f in fs.peer_features[idx])
        isolated = sum(iso_weight[f] * counts.get(f, 0) for f in fs.peer_features[idx]) <= EPS
        reasons: list[Reason] = []
        shared: list[str] = []
        for theme in cand.themes:
            with_whom = [p.display_name for p in remaining if norm(theme) in theme_keys(p)]
            if with_whom:
                shared.append(theme)
                reasons.append(
                    Reason(
                        code="shares_theme",
                        template='Shares the theme "{theme}" with {members}.',
                        params={"theme": theme, "members": with_whom},
                    )
                )
        if not shared:
            reasons.append(
                Reason(code="no_shared_theme", template="Shares no theme with the group.")
            )
        overlap = [t for t in cand.themes if norm(t) in leaving_themes]
        if leaving is not None and overlap:
            reasons.append(
                Reason(
                    code="like_leaving_peer",
                    template="Has {count} of the themes of {leaving}: {themes}.",
                    params={
                        "count": len(overlap),
                        "leaving": leaving.display_name,
                        "themes": [f'"{t}"' for t in overlap],
                    },
                )
            )
        weights = options.component_weights()
        for field_name, code, what in (
            ("role", "same_role", "role"),
            ("task_area", "same_task", "task area"),
        ):
            component = "role" if field_name == "role" else "task"
            value = norm(getattr(cand, field_name))
            if weights.get(component, 0.0) > 0 and value:
                same = [p.display_name for p in remaining if norm(getattr(p, field_name)) == value]
                if same:
                    reasons.append(
                        Reason(
                            code=code,
                            template="Has the same " + what + " as {members}.",
                            params={"members": same},
                        )
                    )
        problems: list[str] = []
        if cons.one_per_organisation and norm(cand.organisation):
            for p in remaining:
                if norm(p.organisation) == norm(cand.organisation):
                    problems.append(
                        f"Same organisation as {p.display_name} ({cand.organisation_label})."
                    )
        if cons.max_per_country is not None and norm(cand.country):
            same_country = sum(1 for p in remaining if norm(p.country) == norm(cand.country))
            if same_country + 1 > cons.max_per_country:
                problems.append(
                    f"The group already has {same_country} peers from {cand.country.strip()}. "
                    f"The limit is {cons.max_per_country}."
                )
        if cons.common_language and cand.languages:
            exempt = cons.language_exempt
            common, best, _out = common_languages([*remaining, cand], exempt)
            names = [language_name(v) for v in common]
            if best and not common:
                theirs, _b, _o = common_languages(remaining, exempt)
                group_words = join_words(language_name(v) for v in theirs)
                problems.append(
                    f"Works in {join_words(language_name(v) for v in cand.languages)}; the group "
                    f"works in {group_words or 'no shared language'}."
                )
            elif common and any(p.languages for p in remaining):
                reasons.append(
                    Reason(
                        code="shares_language",
                        template="Works in {language_names}, like the group.",
                        params={"languages": common, "language_names": names},
                    )
                )
        for p in remaining:
            if p.id in apart.get(cand.id, set()):
                problems.append(f"Must be kept apart from {p.display_name}.")
        lock = cons.locked.get(cand.id)
        if lock is not None and lock != group_label:
            problems.append(f"Is locked to group {quoted(lock)}.")
        candidate = ReplacementCandidate(
            peer_id=cand.id,
            rank=0,
            gain=round(gain, 9),
            feasible=not problems,
            isolated=isolated,
            shared_themes=tuple(shared),
            reasons=tuple(reasons),
            problems=tuple(problems),
        )
        key = (int(bool(problems)), int(isolated), -gain, -len(overlap), k)
        scored.append((key, candidate))
    scored.sort(key=lambda item: item[0])
    return [replace(c, rank=i + 1) for i, (_key, c) in enumerate(scored)]
