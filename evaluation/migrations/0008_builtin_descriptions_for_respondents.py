"""The built-in instruments' descriptions, written for the people who answer them (what the
survey asks and why), and their sources named without references to lines of the report's
text file. The questions themselves are unchanged."""

from typing import Any

from django.db import migrations

REPORT = "Peer learning in public sector reform (report)"

TEXTS: dict[str, dict[str, Any]] = {
    "wenger-value-creation": {
        "source": f"{REPORT}, Annex 6: Evaluating peer learner experience "
        "(after Wenger, Trayner and de Laat)",
        "en": "What the programme has been worth to you, from what happened at an event to "
        "what you changed at work. Each question comes with a few prompts to help you think "
        "about it; answer on the scale, and add your own words if you wish.",
        "fr": "Ce que le programme vous a apporté, de ce qui s'est passé lors d'un événement "
        "à ce que vous avez changé dans votre travail. Chaque question est accompagnée de "
        "quelques pistes de réflexion ; répondez sur l'échelle et ajoutez vos propres mots "
        "si vous le souhaitez.",
    },
    "pempal-story": {
        "source": f"{REPORT}: the PEMPAL value-creation story questions "
        "(Sirnik, Lautar and Maver, 2011)",
        "en": "Tell the story of something you took from the network: what happened, what it "
        "made possible, how you used it, what it changed, and what you would now do "
        "differently.",
        "fr": "Racontez l'histoire de ce que vous avez tiré du réseau : ce qui s'est passé, ce "
        "que cela a rendu possible, comment vous l'avez utilisé, ce que cela a changé et ce "
        "que vous feriez désormais autrement.",
    },
    "continuing-engagement": {
        "source": f"{REPORT}: the experiment matching peers by problem, role or task",
        "en": "Whether you want to keep working with the peers of your group, given what you "
        "have learned together and what you think might still be possible.",
        "fr": "Souhaitez-vous continuer à travailler avec les pairs de votre groupe, compte tenu "
        "de ce que vous avez appris ensemble et de ce qui vous semble encore possible ?",
    },
    "peer-contact": {
        "source": f"{REPORT}: the experiment with the OECD Governance Reviews",
        "en": "What a peer means to you, and the contact you have had with peers over the last "
        "months: how long, how often and how, whether you worked on something together, and "
        "what you gained from it.",
        "fr": "Ce que signifie pour vous un pair, et les contacts que vous avez eus avec des "
        "pairs ces derniers mois : combien de temps, à quelle fréquence et comment, si vous "
        "avez travaillé ensemble sur quelque chose, et ce que vous en avez retiré.",
    },
    "end-product-rubric": {
        "source": f"{REPORT}: the experiment matching peers by problem, role or task",
        "en": "For facilitators: score a group's or pair's end product on its new ideas, on how "
        "the members drew on their different experiences and on how they worked together in "
        "presenting it.",
        "fr": "Pour les facilitateurs : évaluez le produit final d'un groupe ou d'une paire "
        "selon ses idées nouvelles, la façon dont les membres ont mis à profit leurs "
        "expériences différentes et la manière dont ils l'ont présenté ensemble.",
    },
    "pempal-network": {
        "source": f"{REPORT}, Annex 7: The PEMPAL peer learning evaluation mechanism "
        "(Folscher, 2009)",
        "en": "How you see the network: whether you feel you belong and can influence its "
        "priorities, how you use and rate its learning resources and events, and how you "
        "have used its members' experience in your own organisation.",
        "fr": "Votre regard sur le réseau : sentiment d'appartenance et d'influence sur ses "
        "priorités, usage et appréciation de ses ressources et de ses événements, et usage "
        "de l'expérience de ses membres dans votre propre organisation.",
    },
}


def rewrite(apps: Any, schema_editor: Any) -> None:
    Instrument = apps.get_model("evaluation", "Instrument")
    for family, texts in TEXTS.items():
        for instrument in Instrument.objects.filter(family=family, programme__isnull=True):
            instrument.description = {
                **(instrument.description or {}),
                "en": texts["en"],
                "fr": texts["fr"],
            }
            instrument.source = texts["source"]
            instrument.save(update_fields=["description", "source"])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0007_reflection_journal_moved")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
