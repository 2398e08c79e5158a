"""Forms of matching: the intake survey, its set-up, themes and matching runs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerlearn.listing import ListFilters
from peerlearn.working_languages import language_choices, language_code

from . import engine
from .models import (
    CHALLENGE_MAX_LENGTH,
    MIN_CHALLENGES,
    CareerLevel,
    Education,
    Factor,
    Group,
    Influence,
    IntakeSurvey,
    Seniority,
    Stage,
)
from .selectors import languages_of
from .services import clean_challenges
from .themes import SeedTheme

CHALLENGE_SLOTS = 5


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Choose…")), *choices]


class SurveyForm(forms.Form):
    factors = forms.MultipleChoiceField(
        label=_("Matching factors to ask (challenges are always asked)"),
        choices=Factor.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    introduction = forms.CharField(
        label=_("Introduction shown to peers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class IntakeForm(forms.Form):
    """The intake survey; only the factors the facilitator chose are asked."""

    goals = forms.CharField(
        label=_("What do you want to achieve through this programme?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    task_area = forms.CharField(label=_("Your task or policy area"), max_length=200)
    role = forms.CharField(
        label=_("Your formal role"),
        max_length=200,
        help_text=_("For example: head of budget department, treasury director, auditor."),
    )
    seniority = forms.ChoiceField(label=_("Seniority"), choices=_blank(Seniority.choices))
    career_level = forms.ChoiceField(label=_("Career level"), choices=_blank(CareerLevel.choices))
    education = forms.ChoiceField(label=_("Education"), choices=_blank(Education.choices))
    affiliation = forms.CharField(
        label=_("Professional affiliation"),
        max_length=200,
        help_text=_("A professional body or network you belong to."),
    )
    context = forms.CharField(
        label=_("Your country or region context"),
        max_length=300,
        help_text=_("A few words separated by commas, e.g. Western Balkans, EU accession."),
    )
    influence = forms.ChoiceField(
        label=_("Your degree of influence over the reform"), choices=_blank(Influence.choices)
    )
    stage = forms.ChoiceField(
        label=_("Where is your reform on the implementation pathway?"),
        choices=_blank(Stage.choices),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can work in"),
        choices=[],
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Choose every language you could work in with your group (hold Ctrl, or Cmd on a "
            "Mac, to choose several). Groups are formed so that their members share one."
        ),
    )

    def __init__(self, *args: Any, survey: IntakeSurvey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        asked = set(survey.factors or [])
        for name in list(self.fields):
            if name not in asked:
                del self.fields[name]
        if "languages" in self.fields:
            first = str(survey.cohort.programme.working_languages or "").replace(";", ",")
            self.fields["languages"].choices = language_choices(  # type: ignore[attr-defined]
                language_code(code) for code in first.split(",") if code.strip()
            )
        for index in range(CHALLENGE_SLOTS):
            field = forms.CharField(
                label=_("Challenge %(number)d") % {"number": index + 1},
                max_length=CHALLENGE_MAX_LENGTH,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "maxlength": CHALLENGE_MAX_LENGTH}),
            )
            self.fields[f"challenge_{index}"] = field
        # Challenges first, in the order of the page.
        order = [f"challenge_{i}" for i in range(CHALLENGE_SLOTS)]
        self.order_fields(order + [n for n in self.fields if n not in order])

    @property
    def challenge_fields(self) -> list[forms.BoundField]:
        return [self[f"challenge_{i}"] for i in range(CHALLENGE_SLOTS)]

    @property
    def factor_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("challenge_")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        challenges = clean_challenges(
            data.get(f"challenge_{i}", "") for i in range(CHALLENGE_SLOTS)
        )
        if len(challenges) < MIN_CHALLENGES:
            raise forms.ValidationError(
                _(
                    "Please describe at least %(minimum)d different challenges you face "
                    "(you gave %(count)d). What you typed is kept."
                ),
                params={"minimum": MIN_CHALLENGES, "count": len(challenges)},
                code="too_few_challenges",
            )
        data["challenges"] = challenges
        return data

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {"challenges": data["challenges"]}
        for name in self.fields:
            if not name.startswith("challenge_"):
                out[name] = data.get(name, "")
        return out

    @staticmethod
    def initial_from(answers: dict[str, Any]) -> dict[str, Any]:
        """Form initial values from stored answers or a draft."""
        initial = {k: v for k, v in answers.items() if k != "challenges"}
        if "languages" in initial:
            initial["languages"] = languages_of({"languages": initial["languages"]}, None)
        for index, text in enumerate(list(answers.get("challenges", []))[:CHALLENGE_SLOTS]):
            initial[f"challenge_{index}"] = text
        return initial

    @staticmethod
    def draft_from(post: Any) -> dict[str, Any]:
        """What the peer has typed, as a draft (no validation)."""
        draft: dict[str, Any] = {
            "challenges": [post.get(f"challenge_{i}", "") for i in range(CHALLENGE_SLOTS)]
        }
        for factor in Factor.values:
            if factor == Factor.LANGUAGES:
                if factor in post:
                    draft[factor] = [str(v)[:20] for v in post.getlist(factor)][:20]
            elif factor in post:
                draft[factor] = post.get(factor, "")
        return draft


STRATEGY_CHOICES = [
    ("problem", _("By shared problem (recommended)")),
    ("role", _("By formal role (vertical mentoring)")),
    ("task", _("By task or policy area")),
    ("context", _("By country or region context")),
    ("hybrid", _("A weighted mix")),
    ("organisation", _("Teams from one organisation (reform together)")),
]

PEER_SETS_HELP = _(
    "One set per line: the email addresses of the peers, separated by commas. Use the search "
    "to find a peer and add them to the last line."
)


def _peer_sets(text: str, known: dict[str, int], label: Any) -> list[list[str]]:
    """Lines of email addresses as sets of peer ids; unknown addresses are refused by name."""
    sets: list[list[str]] = []
    problems: list[str] = []
    for number, line in enumerate(str(text or "").splitlines(), start=1):
        emails = [e.strip().lower() for e in line.replace(";", ",").split(",") if e.strip()]
        if not emails:
            continue
        missing = [e for e in emails if e not in known]
        if missing:
            problems.append(
                _("line %(line)d: %(emails)s") % {"line": number, "emails": ", ".join(missing)}
            )
            continue
        ids = list(dict.fromkeys(str(known[e]) for e in emails))
        if len(ids) < 2:
            problems.append(_("line %(line)d names only one peer") % {"line": number})
            continue
        sets.append(ids)
    if problems:
        raise forms.ValidationError(
            _(
                "%(list)s: these are not peers of this cohort who completed intake (%(problems)s). "
                "What you typed is kept."
            )
            % {"list": label, "problems": "; ".join(problems)}
        )
    return sets


def _weight(label: Any, initial: float) -> forms.FloatField:
    return forms.FloatField(label=label, initial=initial, min_value=0, max_value=engine.MAX_WEIGHT)


class RunForm(forms.Form):
    strategy = forms.ChoiceField(label=_("Strategy"), choices=STRATEGY_CHOICES, initial="problem")
    weight_problem = _weight(_("Weight of shared problems"), 1)
    weight_role = _weight(_("Weight of formal role"), 0)
    weight_task = _weight(_("Weight of task area"), 0)
    weight_context = _weight(_("Weight of context"), 0)
    pairs = forms.BooleanField(label=_("Form pairs instead of groups"), required=False)
    min_size = forms.IntegerField(
        label=_("Smallest group"), initial=5, min_value=2, max_value=engine.MAX_GROUP_SIZE
    )
    max_size = forms.IntegerField(
        label=_("Largest group"), initial=6, min_value=2, max_value=engine.MAX_GROUP_SIZE
    )
    one_per_organisation = forms.BooleanField(
        label=_("At most one peer per organisation in a group"), initial=True, required=False
    )
    common_language = forms.BooleanField(
        label=_("The members of each group share a working language"),
        initial=True,
        required=False,
        help_text=_(
            "Peers who gave no language can join any group. Turn this off only if the "
            "programme provides interpretation."
        ),
    )
    keep_together = forms.CharField(
        label=_("Keep together"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20000,
        help_text=PEER_SETS_HELP,
    )
    keep_apart = forms.CharField(
        label=_("Keep apart"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20000,
        help_text=PEER_SETS_HELP,
    )
    max_per_country = forms.IntegerField(
        label=_("At most this many peers of one country in a group"),
        min_value=1,
        max_value=engine.MAX_GROUP_SIZE,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    seed = forms.IntegerField(
        label=_("Variant number"),
        initial=0,
        min_value=0,
        max_value=engine.MAX_SEED,
        help_text=_(
            "The same number and answers always give the same groups; another number may give "
            "another arrangement."
        ),
    )

    def __init__(self, *args: Any, peer_emails: dict[str, int] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.peer_emails = peer_emails or {}

    def clean_keep_together(self) -> list[list[str]]:
        return _peer_sets(
            self.cleaned_data.get("keep_together", ""), self.peer_emails, _("Keep together")
        )

    def clean_keep_apart(self) -> list[list[str]]:
        return _peer_sets(
            self.cleaned_data.get("keep_apart", ""), self.peer_emails, _("Keep apart")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        weights = None
        if data.get("strategy") == "hybrid":
            weights = {
                key: float(data.get(f"weight_{key}") or 0)
                for key in ("problem", "role", "task", "context")
            }
        try:
            self.options = engine.Options(
                strategy=data["strategy"],
                weights=weights,
                min_size=data["min_size"],
                max_size=data["max_size"],
                pairs=bool(data.get("pairs")),
                seed=data["seed"],
                constraints=engine.Constraints(
                    one_per_organisation=bool(data.get("one_per_organisation"))
                    and data["strategy"] != "organisation",
                    max_per_country=data.get("max_per_country"),
                    common_language=bool(data.get("common_language")),
                    keep_together=tuple(tuple(s) for s in data.get("keep_together") or []),
                    keep_apart=tuple(tuple(s) for s in data.get("keep_apart") or []),
                ),
            )
        except ValueError:
            if data["strategy"] == "hybrid":
                raise forms.ValidationError(
                    _("A mix needs at least one weight above zero.")
                ) from None
            raise forms.ValidationError(
                _("The largest group must be at least as large as the smallest.")
            ) from None
        return data


class MoveForm(forms.Form):
    """Move a peer, found by name or email address, into one group of the run."""

    peer = forms.CharField(label=_("Peer to move here (name or email)"), max_length=254, strip=True)
    to_group = forms.ModelChoiceField(
        label=_("Move to"), queryset=Group.objects.none(), widget=forms.HiddenInput
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, groups: Any, run: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_group"].queryset = groups  # type: ignore[attr-defined]
        self.run = run

    def clean_peer(self) -> int:
        from .selectors import search_run_members

        text = self.cleaned_data["peer"]
        matches = search_run_members(self.run, text, limit=6)
        exact = [
            m for m in matches if text.lower() in (m.user.email.lower(), m.user.full_name.lower())
        ]
        if len(exact) == 1:
            return int(exact[0].user_id)
        if len(matches) == 1:
            return int(matches[0].user_id)
        if not matches:
            raise forms.ValidationError(
                _(
                    "No peer of this run is called “%(text)s”. Type part of a name or an "
                    "email address."
                )
                % {"text": text}
            )
        raise forms.ValidationError(
            _("Several peers match “%(text)s”: %(names)s. Type the email address.")
            % {"text": text, "names": ", ".join(f"{m.user} ({m.user.email})" for m in matches[:5])}
        )


GROUPS_IN_A_LIST = 150


class CompletionFilters(ListFilters):
    """Who has done the intake: by name or email, and how far."""

    q = forms.CharField(label=_("Name or email"), max_length=100, widget=forms.SearchInput)
    status = forms.ChoiceField(
        label=_("Intake"),
        choices=[
            ("", _("Anyone")),
            ("done", _("Done")),
            ("started", _("Started")),
            ("not_started", _("Not started")),
        ],
    )


BREAKING = "breaking"
KEEPING = "keeping"


class ReviewFilters(ListFilters):
    """The groups of a run under review: by label or member, and whether they break a rule."""

    q = forms.CharField(label=_("Group or member"), max_length=100, widget=forms.SearchInput)
    rules = forms.ChoiceField(
        label=_("Rules of the run"),
        choices=[
            ("", _("Any group, those breaking a rule first")),
            (BREAKING, _("Groups breaking a rule")),
            (KEEPING, _("Groups keeping every rule")),
        ],
    )


class MoveRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why would you like to move?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    wanted_group = forms.ModelChoiceField(
        label=_("Group you would prefer (optional)"),
        queryset=Group.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["wanted_group"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = groups
        if groups.count() > GROUPS_IN_A_LIST:
            # Hundreds of groups: the peer types the group's label instead of scrolling a list.
            field.to_field_name = "label"
            field.widget = forms.TextInput(attrs={"autocomplete": "off"})
            field.help_text = _("Type the label of the group, as your facilitator gave it.")
            field.error_messages["invalid_choice"] = _("There is no group with this label.")


# Problem themes.

THEME_COUNT_LIMIT = 50
SEED_LIMIT = 50
SEED_DESCRIPTION_LENGTH = 300
THEME_NAME_LENGTH = 120


class ProposeThemesForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of themes"),
        required=False,
        min_value=1,
        max_value=THEME_COUNT_LIMIT,
        help_text=_(
            "Leave it empty to let the count be chosen from the statements. For a small cohort "
            "(fewer than about 300 statements) giving the number you expect works better."
        ),
    )


class GuidedThemesForm(forms.Form):
    """Themes to start from, one a line: a name, then a colon and a line of description."""

    seeds = forms.CharField(
        label=_("Themes to start from"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=SEED_LIMIT * (THEME_NAME_LENGTH + SEED_DESCRIPTION_LENGTH + 3),
        help_text=_(
            "One theme a line: its name, then a colon and a line of description. Statements go "
            "to the nearest of these themes; new themes are proposed only for the statements "
            "that fit none."
        ),
    )
    new_count = forms.IntegerField(
        label=_("Number of new themes"),
        required=False,
        min_value=1,
        max_value=THEME_COUNT_LIMIT,
        help_text=_("Leave it empty to let the count be chosen from the statements."),
    )

    def clean_seeds(self) -> list[SeedTheme]:
        seeds: list[SeedTheme] = []
        seen: set[str] = set()
        for number, line in enumerate(str(self.cleaned_data["seeds"]).splitlines(), start=1):
            if not line.strip():
                continue
            name, _colon, description = line.partition(":")
            name, description = " ".join(name.split()), " ".join(description.split())
            if not name:
                raise forms.ValidationError(
                    _("Line %(line)d has no theme name before its colon.") % {"line": number}
                )
            if len(name) > THEME_NAME_LENGTH:
                raise forms.ValidationError(
                    _("The theme name on line %(line)d is longer than %(count)d characters.")
                    % {"line": number, "count": THEME_NAME_LENGTH}
                )
            if len(description) > SEED_DESCRIPTION_LENGTH:
                raise forms.ValidationError(
                    _("The description on line %(line)d is longer than %(count)d characters.")
                    % {"line": number, "count": SEED_DESCRIPTION_LENGTH}
                )
            if name.casefold() in seen:
                raise forms.ValidationError(
                    _("Line %(line)d repeats the theme “%(name)s”.")
                    % {"line": number, "name": name}
                )
            seen.add(name.casefold())
            seeds.append(SeedTheme(name=name, description=description))
        if not seeds:
            raise forms.ValidationError(_("Write at least one theme to start from."))
        if len(seeds) > SEED_LIMIT:
            raise forms.ValidationError(
                _("Start from at most %(count)d themes.") % {"count": SEED_LIMIT}
            )
        return seeds


def seeds_text(groups: Any) -> str:
    """Working groups as the lines of :class:`GuidedThemesForm` (name: component)."""
    lines = []
    for group in groups:
        description = " ".join(str(group.component or "").split())[:SEED_DESCRIPTION_LENGTH]
        name = " ".join(str(group.name).replace(":", " ").split())[:THEME_NAME_LENGTH]
        lines.append(f"{name}: {description}" if description else name)
    return "\n".join(lines)


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read what is wrong above and publish these groups anyway"),
        required=False,
    )

    def __init__(self, *args: Any, needs_confirmation: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_confirmation = needs_confirmation

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.needs_confirmation and not data.get("confirm"):
            self.add_error(
                "confirm",
                _(
                    "These groups break rules of the run or leave peers out. Tick the box to "
                    "publish them anyway, or go back and change them."
                ),
            )
        return data
