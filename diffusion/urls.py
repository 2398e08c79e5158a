from django.urls import URLPattern, URLResolver

app_name = "diffusion"

urlpatterns: list[URLPattern | URLResolver] = []
