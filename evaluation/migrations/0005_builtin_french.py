"""French text for the built-in instruments' names, scales and questions (the guiding questions
of Annex 6 stay in English until translated: readers then see the English text)."""

from typing import Any

from django.db import migrations

NAMES = {
    "wenger-value-creation": "Cycles de création de valeur (Wenger-Trayner)",
    "pempal-story": "Questions PEMPAL sur les récits de création de valeur",
    "continuing-engagement": "Poursuite de l'engagement",
    "peer-contact": "Contacts entre pairs",
    "end-product-rubric": "Grille d'évaluation du produit final",
    "pempal-network": "Indicateurs de réseau (PEMPAL)",
}

SCALES = {
    "No value": "Aucune valeur",
    "Little value": "Peu de valeur",
    "Some value": "Une certaine valeur",
    "Considerable value": "Une valeur considérable",
    "Great value": "Une grande valeur",
    "None": "Aucun",
    "Weak": "Faible",
    "Moderate": "Modéré",
    "Strong": "Fort",
    "Very strong": "Très fort",
    "Strongly disagree": "Pas du tout d'accord",
    "Disagree": "Pas d'accord",
    "Neither agree nor disagree": "Ni d'accord ni pas d'accord",
    "Agree": "D'accord",
    "Strongly agree": "Tout à fait d'accord",
    "Very poor": "Très médiocre",
    "Poor": "Médiocre",
    "Acceptable": "Acceptable",
    "Of quality": "De qualité",
    "High quality": "De grande qualité",
    "Highly unsatisfactory": "Très insatisfaisant",
    "Unsatisfactory": "Insatisfaisant",
    "Neither": "Ni l'un ni l'autre",
    "Satisfactory": "Satisfaisant",
    "Highly satisfactory": "Très satisfaisant",
    "Absent": "Absent",
    "Present": "Présent",
    "Outstanding": "Remarquable",
    "Yes": "Oui",
    "No": "Non",
}

QUESTIONS = {
    ("wenger-value-creation", "immediate_rating"): (
        "1. Valeur immédiate : que s'est-il passé et comment l'ai-je vécu ?"
    ),
    ("wenger-value-creation", "potential_a_rating"): (
        "a. En quoi ma participation m'a-t-elle changé ?"
    ),
    ("wenger-value-creation", "potential_b_rating"): (
        "b. En quoi ma participation a-t-elle changé mes relations sociales ?"
    ),
    ("wenger-value-creation", "potential_c_rating"): (
        "c. À quelles ressources ma participation m'a-t-elle donné accès ?"
    ),
    ("wenger-value-creation", "potential_d_rating"): (
        "d. Quelle position la communauté a-t-elle acquise ?"
    ),
    ("wenger-value-creation", "potential_e_rating"): (
        "e. En quoi la participation a-t-elle transformé ma vision de l'apprentissage ?"
    ),
    ("wenger-value-creation", "applied_rating"): (
        "3. Valeur appliquée : quelle différence cela a-t-il fait dans ma pratique, ma vie, "
        "mon contexte ?"
    ),
    ("wenger-value-creation", "realised_rating"): (
        "4. Valeur réalisée : quelle différence cela a-t-il fait dans ma capacité à atteindre ce "
        "qui compte pour moi ou pour d'autres parties prenantes ?"
    ),
    ("wenger-value-creation", "reframing_rating"): (
        "5. Valeur de recadrage : cela a-t-il changé ma compréhension, ou celle d'autres parties "
        "prenantes, de ce qui compte et de sa définition ?"
    ),
    ("pempal-story", "q1"): (
        "Quelle est l'activité PEM PAL la plus marquante à laquelle vous avez participé, et "
        "comment l'avez-vous vécue (par exemple une conversation, une séance de travail, un "
        "projet) ?"
    ),
    ("pempal-story", "q2"): (
        "Décrivez une ressource précise que cette activité vous a apportée (par exemple une idée "
        "ou un document) et pourquoi vous pensiez qu'elle pourrait être utile."
    ),
    ("pempal-story", "q3"): "Expliquez comment vous avez utilisé cette ressource dans votre pratique.",
    ("pempal-story", "q4"): "Quel effet cela a-t-il eu sur votre réussite personnelle ?",
    ("pempal-story", "q5"): "Votre participation a-t-elle contribué à la réussite de votre organisation ?",
}

HELP = {
    "How much of this value did you experience?": (
        "Quelle part de cette valeur avez-vous vécue ?"
    ),
    "In your own words (optional).": "Avec vos propres mots (facultatif).",
}
POTENTIAL = "2. Valeur potentielle : qu'a produit toute cette activité ?"


def load(apps: Any, schema_editor: Any) -> None:
    Instrument = apps.get_model("evaluation", "Instrument")
    for instrument in Instrument.objects.filter(programme__isnull=True, family__in=NAMES):
        if instrument.name.get("fr"):
            continue
        instrument.name = {**instrument.name, "fr": NAMES[instrument.family]}
        instrument.save(update_fields=["name"])
        for item in instrument.items.all():
            question = QUESTIONS.get((instrument.family, item.code))
            if question:
                item.text = {**item.text, "fr": question}
            english_help = item.help.get("en", "")
            for english, french in HELP.items():
                if english_help.endswith(english):
                    prefix = f"{POTENTIAL} " if item.cycle_part else ""
                    item.help = {**item.help, "fr": prefix + french}
            item.choices = [
                {**choice, "label": {**choice["label"], "fr": SCALES[choice["label"]["en"]]}}
                if choice.get("label", {}).get("en") in SCALES
                else choice
                for choice in item.choices
            ]
            item.save(update_fields=["text", "help", "choices"])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0004_access_response")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
