"""French text for every question, guidance and option of the built-in instruments that
``0005_builtin_french`` left in English (the guiding questions of Annex 6, the continuing
engagement, peer contact, end-product rubric and network indicator questions), translated from
the report's wording; and "animateurs" for facilitators in the rubric's description, as in the
rest of the interface. Existing French text is kept; the other languages are untouched."""

from typing import Any

from django.db import migrations

LANGUAGE = "fr"

# (family, item code) -> the question in French.
QUESTIONS = {
    ("continuing-engagement", "desire_learning"): (
        "Quelle est la force de votre désir de continuer à échanger avec les pairs de votre "
        "groupe, compte tenu de l'apprentissage déjà réalisé ?"
    ),
    ("continuing-engagement", "desire_possible"): (
        "Quelle est la force de votre désir de continuer à échanger avec les pairs de votre "
        "groupe, compte tenu de ce que vous imaginez encore possible ?"
    ),
    ("continuing-engagement", "which_peers"): (
        "Avec quels pairs aimeriez-vous continuer à travailler ?"
    ),
    ("continuing-engagement", "still_possible"): "Qu'imaginez-vous encore possible ?",
    ("end-product-rubric", "group"): "Groupe ou binôme évalué",
    ("end-product-rubric", "new_ideas"): (
        "Les idées nouvelles venues des pairs dans le produit final"
    ),
    ("end-product-rubric", "experiences"): (
        "La façon dont le groupe a mis à profit les expériences différentes de ses membres"
    ),
    ("end-product-rubric", "interaction"): "L'interaction entre les pairs lors de la présentation",
    ("end-product-rubric", "notes"): "Notes",
    ("peer-contact", "peer_meaning"): "Que signifie « pair » pour vous ?",
    ("peer-contact", "contact_3_months"): (
        "Votre participation vous a-t-elle amené à avoir avec un pair, au sens défini ci-dessus, "
        "un contact que vous n'auriez pas eu autrement et qui a duré au moins 3 mois ?"
    ),
    ("peer-contact", "duration"): "Depuis combien de temps êtes-vous en contact avec ce pair ?",
    ("peer-contact", "frequency"): "À quelle fréquence êtes-vous en contact avec ce pair ?",
    ("peer-contact", "channel"): "Comment restez-vous en contact ?",
    ("peer-contact", "same_organisation"): "Ce pair travaille-t-il dans la même organisation que vous ?",
    ("peer-contact", "shared_task"): (
        "Avez-vous travaillé avec ce pair sur une tâche précise (par exemple un projet de "
        "jumelage, la mise en œuvre d'une politique, un projet financé par un don ou un projet "
        "de loi) ?"
    ),
    ("peer-contact", "contact_peers"): "Avec quels pairs de ce programme êtes-vous en contact ?",
    ("peer-contact", "lessons"): (
        "Qu'avez-vous retiré de ce contact entre pairs ? Quels enseignements pratiques en "
        "avez-vous tirés ?"
    ),
    ("pempal-network", "belonging"): "J'ai le sentiment d'appartenir au réseau.",
    ("pempal-network", "influence"): (
        "Je pense pouvoir influer sur la définition des priorités du réseau."
    ),
    ("pempal-network", "resource_use"): (
        "À quelle fréquence utilisez-vous le site web du réseau et/ou ses autres ressources "
        "d'apprentissage ?"
    ),
    ("pempal-network", "resource_quality"): (
        "Comment jugez-vous les ressources d'apprentissage du réseau ?"
    ),
    ("pempal-network", "event_inputs"): (
        "Comment jugez-vous les contributions présentées lors des événements du réseau ?"
    ),
    ("pempal-network", "use_in_organisation"): (
        "Avez-vous utilisé les expériences du réseau pour concevoir et recommander ou mettre en "
        "œuvre des améliorations dans votre propre organisation ?"
    ),
    ("pempal-network", "contributions"): (
        "Combien de contributions avez-vous apportées aux événements et aux ressources "
        "d'apprentissage du réseau au cours de cette période (présentations, documents, "
        "missions d'assistance technique) ?"
    ),
    # Annex 6: the guiding questions of each cycle of value creation.
    ("wenger-value-creation", "immediate_story"): (
        "Quels ont été les événements marquants ? Que s'est-il passé ? Quel a été le niveau de "
        "participation ? Quelle a été la qualité de l'engagement mutuel ? Était-ce agréable, "
        "stimulant, convivial ? Dans quelle mesure l'activité ou l'interaction était-elle "
        "pertinente pour moi ? Avec qui ai-je échangé ou noué des liens ? Quels liens ont le "
        "plus d'influence sur mon propre développement ?"
    ),
    ("wenger-value-creation", "potential_a_story"): (
        "Ai-je acquis de nouvelles compétences ou connaissances ? Ma compréhension du domaine ou "
        "mon point de vue ont-ils changé ? Le travail que je fais m'inspire-t-il davantage ? "
        "Ai-je gagné en confiance dans ma capacité à m'engager dans la pratique ?"
    ),
    ("wenger-value-creation", "potential_b_story"): (
        "À quelles nouvelles personnes ai-je eu accès ? Est-ce que je les connais assez pour "
        "savoir ce qu'elles peuvent apporter à mon apprentissage ? Leur fais-je assez confiance "
        "pour me tourner vers elles en cas de besoin ? Est-ce que je me sens moins isolé ? Ma "
        "participation me vaut-elle une réputation ?"
    ),
    ("wenger-value-creation", "potential_c_story"): (
        "Ai-je de nouveaux outils, méthodes ou processus ? Ai-je accès à des documents ou à des "
        "sources d'information que je n'aurais pas eus autrement ?"
    ),
    ("wenger-value-creation", "potential_d_story"): (
        "La communauté a-t-elle changé la reconnaissance de notre expertise ? Avons-nous acquis "
        "une voix nouvelle grâce à notre apprentissage collectif ?"
    ),
    ("wenger-value-creation", "potential_e_story"): (
        "Est-ce que je vois des occasions d'apprendre que je ne voyais pas auparavant ?"
    ),
    ("wenger-value-creation", "applied_story"): (
        "Où ai-je utilisé les produits de la communauté ou du réseau ? Où ai-je appliqué une "
        "compétence acquise ? Quand me suis-je appuyé sur un lien de la communauté ou du réseau "
        "pour accomplir une tâche ? Ai-je pu rallier d'autres personnes à une cause qui me tient "
        "à cœur ? Quand et comment ai-je utilisé un document ou un outil que la communauté a "
        "produit ou rendu accessible ? Comment une idée ou une suggestion a-t-elle été mise en "
        "œuvre ? À quel niveau : individuel, équipe ou unité, organisation ?"
    ),
    ("wenger-value-creation", "realised_story"): (
        "Sur quels aspects de ma performance ma participation à la communauté ou au réseau "
        "a-t-elle influé ? Ai-je gagné du temps ou accompli quelque chose de nouveau ? Ai-je "
        "davantage de succès en général ? Comment ? Quel effet la mise en œuvre d'une idée "
        "a-t-elle eu ? Cela a-t-il influé sur des indicateurs utilisés pour évaluer la "
        "performance ? Qu'est-ce que mon organisation a pu accomplir grâce à ma participation à "
        "la communauté ou au réseau ?"
    ),
    ("wenger-value-creation", "reframing_story"): (
        "Le processus d'apprentissage social a-t-il conduit à une réflexion sur ce qui compte ? "
        "A-t-il changé la compréhension que quelqu'un a de ce qui compte ? Suggère-t-il de "
        "nouveaux critères et de nouveaux indicateurs à inclure dans l'évaluation ? Comment "
        "cette nouvelle compréhension a-t-elle touché ceux qui ont le pouvoir de définir les "
        "critères de réussite ? S'est-elle traduite par des changements institutionnels ? Un "
        "nouveau cadre ou un nouveau système a-t-il évolué ou été créé à la suite de cette "
        "nouvelle compréhension ?"
    ),
}

# (family, item code, option value) -> the option's label in French.
OPTIONS = {
    ("peer-contact", "duration", "under_1"): "Moins d'un mois",
    ("peer-contact", "duration", "1_3"): "D'un à trois mois",
    ("peer-contact", "duration", "3_12"): "Plusieurs mois",
    ("peer-contact", "duration", "12_plus"): "Un an ou plus",
    ("peer-contact", "frequency", "weekly"): "Une fois par semaine ou plus",
    ("peer-contact", "frequency", "monthly"): "Une fois par mois",
    ("peer-contact", "frequency", "less"): "Moins d'une fois par mois",
    ("peer-contact", "channel", "phone"): "Téléphone",
    ("peer-contact", "channel", "email"): "E-mail",
    ("peer-contact", "channel", "video"): "Appel vidéo",
    ("peer-contact", "channel", "messaging"): "Messagerie",
    ("peer-contact", "channel", "in_person"): "En personne",
    ("pempal-network", "resource_use", "never"): "Jamais",
    ("pempal-network", "resource_use", "up_to_6"): "Jusqu'à 6 fois par an",
    ("pempal-network", "resource_use", "more_than_6"): "Plus de 6 fois par an",
}

RUBRIC_DESCRIPTION = (
    "Pour les animateurs : évaluez le produit final d'un groupe ou d'un binôme selon ses idées "
    "nouvelles, la façon dont les membres ont mis à profit leurs expériences différentes et la "
    "manière dont ils l'ont présenté ensemble."
)


def load(apps: Any, schema_editor: Any) -> None:
    Instrument = apps.get_model("evaluation", "Instrument")
    families = {family for family, _code in QUESTIONS} | {"end-product-rubric"}
    for instrument in Instrument.objects.filter(programme__isnull=True, family__in=families):
        if instrument.family == "end-product-rubric":
            description = dict(instrument.description or {})
            if "facilitateurs" in description.get(LANGUAGE, "") or not description.get(LANGUAGE):
                instrument.description = {**description, LANGUAGE: RUBRIC_DESCRIPTION}
                instrument.save(update_fields=["description"])
        for item in instrument.items.all():
            question = QUESTIONS.get((instrument.family, item.code))
            changed = False
            if question and not (item.text or {}).get(LANGUAGE):
                item.text = {**item.text, LANGUAGE: question}
                changed = True
            choices = []
            for choice in item.choices or []:
                label = dict(choice.get("label") or {})
                french = OPTIONS.get((instrument.family, item.code, choice.get("value")))
                if french and not label.get(LANGUAGE):
                    choice = {**choice, "label": {**label, LANGUAGE: french}}
                    changed = True
                choices.append(choice)
            if changed:
                item.choices = choices
                item.save(update_fields=["text", "choices"])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0008_builtin_descriptions_for_respondents")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
