"""Synthetic peers for tests, benchmarks and demonstration data (deterministic per seed).

``experiment1_peers()`` resembles Experiment 1: 55 peers from over 30 countries, eight problem
themes of the kind the experiment found (building teams, managing upwards, ...), three or more
themes per peer. ``make_peers(n)`` scales the same design: themes come in families of four;
each peer draws most themes from one family and the rest at random, so that good groups exist
but are not obvious.
"""

from __future__ import annotations

import math
import random

from .models import Peer

EXPERIMENT1_THEMES: tuple[str, ...] = (
    "Building teams for reform",
    "Managing upwards with political leaders",
    "Getting other agencies on board",
    "Creating new entities to drive change",
    "Political interference in appointments",
    "Keeping reform momentum after elections",
    "Measuring results with weak data",
    "Winning budget for reform",
)
COUNTRIES: tuple[str, ...] = (
    "Kenya",
    "Ghana",
    "Nigeria",
    "Uganda",
    "Tanzania",
    "Rwanda",
    "Ethiopia",
    "Zambia",
    "Malawi",
    "Mozambique",
    "South Africa",
    "Senegal",
    "Cote d'Ivoire",
    "Cameroon",
    "Benin",
    "Liberia",
    "Sierra Leone",
    "India",
    "Pakistan",
    "Bangladesh",
    "Nepal",
    "Sri Lanka",
    "Indonesia",
    "Philippines",
    "Vietnam",
    "Cambodia",
    "Peru",
    "Colombia",
    "Bolivia",
    "Guatemala",
    "Honduras",
    "Brazil",
    "Mexico",
    "Jordan",
    "Morocco",
    "Tunisia",
    "Egypt",
    "Ukraine",
    "Moldova",
    "Georgia",
    "Armenia",
    "Kyrgyzstan",
    "Mongolia",
    "Papua New Guinea",
)
REGIONS: dict[str, str] = {
    **dict.fromkeys(COUNTRIES[:17], "Sub-Saharan Africa"),
    **dict.fromkeys(COUNTRIES[17:27], "Asia"),
    **dict.fromkeys(COUNTRIES[27:33], "Latin America"),
    **dict.fromkeys(COUNTRIES[33:37], "Middle East and North Africa"),
    **dict.fromkeys(COUNTRIES[37:], "Europe and Central Asia"),
}
ROLES: tuple[str, ...] = (
    "Service delivery",
    "Public financial management",
    "Policy and planning",
    "Regulation",
    "Human resources",
)
SENIORITY: tuple[str, ...] = ("Junior", "Mid-level", "Senior", "Executive")
TASKS: tuple[str, ...] = (
    "Anticorruption",
    "Economic zones",
    "Financial sector reform",
    "Health services",
    "Education services",
    "Tax administration",
)
CAREER: tuple[str, ...] = ("Early career", "Mid career", "Late career")
EDUCATION: tuple[str, ...] = ("Bachelor", "Master", "Doctorate")
LANGUAGES: tuple[str, ...] = ("English", "French", "Spanish", "Portuguese", "Arabic", "Russian")


def theme_names(count: int) -> list[str]:
    names = list(EXPERIMENT1_THEMES[:count])
    for k in range(len(names), count):
        names.append(f"Theme {k + 1:03d}")
    return names


def make_peers(
    n: int,
    *,
    seed: int = 0,
    n_themes: int | None = None,
    themes_per_peer: tuple[int, int] = (3, 5),
    family_size: int = 4,
    from_family: int = 2,
    n_countries: int | None = None,
    org_ratio: float = 0.6,
    languages: bool = False,
) -> list[Peer]:
    """n synthetic peers. ``n_themes`` defaults to max(8, round(2 * sqrt(n))).

    With ``languages``, peers get working languages (about 80 % English, plus one language
    drawn at random): many peers are then lone speakers, which the common-language rule
    reports. Without it (the default) the languages are drawn all the same (so that an
    instance is the same either way) but left out. ``language_peers`` makes instances with
    language communities."""
    rng = random.Random(seed)
    languages_on = languages
    if n_themes is None:
        n_themes = max(8, round(2 * math.sqrt(n)))
    names = theme_names(n_themes)
    families = [names[i : i + family_size] for i in range(0, n_themes, family_size)]
    countries = list(COUNTRIES[: n_countries or len(COUNTRIES)])
    n_orgs = max(1, int(n * org_ratio))
    peers: list[Peer] = []
    for i in range(n):
        family = families[rng.randrange(len(families))]
        k = rng.randint(*themes_per_peer)
        picked = rng.sample(family, min(from_family, len(family), k))
        while len(picked) < k:
            theme = names[rng.randrange(n_themes)]
            if theme not in picked:
                picked.append(theme)
        country = countries[i % len(countries)] if i < len(countries) else rng.choice(countries)
        org_no = rng.randrange(n_orgs)
        drawn = ["English"] if rng.random() < 0.8 else []
        drawn.append(rng.choice(LANGUAGES))
        peers.append(
            Peer(
                id=f"p{i + 1:05d}",
                name=f"Peer {i + 1}",
                country=country,
                organisation=f"Organisation {org_no + 1}",
                role=rng.choice(ROLES),
                seniority=rng.choice(SENIORITY),
                task_area=rng.choice(TASKS),
                career_level=rng.choice(CAREER),
                education=rng.choice(EDUCATION),
                context=(REGIONS[country],),
                languages=tuple(drawn) if languages_on else (),
                themes=tuple(picked),
            )
        )
    return peers


def experiment1_peers(seed: int = 1) -> list[Peer]:
    """55 peers from 34 countries, 8 themes, 3 or 4 themes each, a few shared organisations."""
    rng = random.Random(seed)
    peers = make_peers(
        55,
        seed=seed,
        n_themes=8,
        themes_per_peer=(3, 4),
        family_size=4,
        from_family=2,
        n_countries=34,
        org_ratio=1.0,
    )
    # Organisations: mostly one per peer, plus three ministries with two or three peers.
    out: list[Peer] = []
    for i, peer in enumerate(peers):
        org = f"{peer.country} ministry {i + 1}"
        if i in (3, 20, 41):
            org = "Ministry of Finance, Kenya"
        elif i in (7, 33):
            org = "Public Service Commission, Ghana"
        out.append(
            Peer(
                id=peer.id,
                name=peer.name,
                country=peer.country,
                organisation=org,
                role=peer.role,
                seniority=rng.choice(SENIORITY),
                task_area=peer.task_area,
                career_level=peer.career_level,
                education=peer.education,
                context=peer.context,
                languages=peer.languages,
                themes=peer.themes,
            )
        )
    return out


# Language communities: share of peers by first working language, and the second languages
# bilingual peers add (the bridges between communities).
LANGUAGE_MIX: dict[str, float] = {"en": 0.5, "fr": 0.3, "ru": 0.2}
BRIDGES: dict[str, tuple[str, ...]] = {
    "en": ("fr", "ru", "es", "pt"),
    "fr": ("en", "pt", "ar"),
    "ru": ("en", "kk", "uk"),
    "pt": ("en", "fr", "es"),
    "es": ("en", "pt"),
    "ar": ("fr", "en"),
    "bs": ("en", "ru"),
}


def language_peers(
    n: int,
    *,
    seed: int = 0,
    mix: dict[str, float] | None = None,
    bilingual: float = 0.25,
    within_network: bool = False,
    **kwargs: object,
) -> list[Peer]:
    """``make_peers(n, seed=seed, **kwargs)`` with working languages in communities, as in
    networks that work in English, French and Russian: each country works in a language drawn
    from ``mix`` (ISO 639-1 code -> share), its peers work in it and, with probability
    ``bilingual``, in a second one from ``BRIDGES``. Organisations belong to one country
    (``make_peers``'s organisation number, per country), so colleagues share a language.

    ``BRIDGES`` includes languages outside the mix (a French speaker's second language may be
    Arabic), so only part of the bilingual peers link two of the network's communities. With
    ``within_network`` the second language is another language of the mix instead, drawn by
    its share: every bilingual peer then links two communities."""
    mix = mix or LANGUAGE_MIX
    base = make_peers(n, seed=seed, **kwargs)  # type: ignore[arg-type]
    rng = random.Random(f"languages-{seed}")
    codes = list(mix)
    weights = [mix[c] for c in codes]
    country_language: dict[str, str] = {}
    for country in dict.fromkeys(p.country for p in base):
        country_language[country] = rng.choices(codes, weights)[0]
    out = []
    for peer in base:
        first = country_language[peer.country]
        spoken = [first]
        if rng.random() < bilingual:
            if within_network and len(codes) > 1:
                others = [c for c in codes if c != first]
                spoken.append(rng.choices(others, [mix[c] for c in others])[0])
            else:
                spoken.append(rng.choice(BRIDGES.get(first, ("en",))))
        out.append(
            Peer(
                **{
                    **peer.to_dict(),
                    "organisation": f"{peer.organisation}, {peer.country}",
                    "languages": tuple(spoken),
                }
            )
        )
    return out
