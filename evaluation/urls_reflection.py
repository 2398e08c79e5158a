from django.urls import URLPattern, URLResolver, path

from . import views_reflection as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("programmes/<int:pk>/journal/", views.journal, name="journal"),
    path(
        "programmes/<int:pk>/groups/<int:group_id>/prompts/",
        views.send_prompt,
        name="reflection_prompt",
    ),
    path("reflections/<int:pk>/", views.reflection, name="reflection"),
]
