from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

import diffusion.api  # noqa: F401  (each api module registers its routes)
import evaluation.api  # noqa: F401
import group_life.api  # noqa: F401
import matching.api  # noqa: F401
import programmes.api
from peerlearn.api import router
from peerlearn.languages import set_language
from peerlearn.styleguide import styleguide
from peerlearn.users import views as account_views
from peerlearn.users.profile import profile
from programmes import views as programme_views

api_v1: list[URLPattern | URLResolver] = [
    path("me/", programmes.api.me, name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, the API)."""
    return HttpResponseRedirect(static("favicon.ico"))


urlpatterns = [
    path("", programme_views.home, name="home"),
    path("favicon.ico", favicon, name="favicon"),
    path("styleguide/", styleguide, name="styleguide"),
    path("accounts/profile/", profile, name="profile"),
    path("accounts/", include("allauth.urls")),
    path("account/", account_views.account, name="my_account"),
    path("account/data.zip", account_views.account_data, name="my_data"),
    path("account/exports/<int:export_id>/", account_views.account_export_file, name="my_export"),
    path("account/erase/", account_views.account_erase, name="my_erasure"),
    path(
        "account/erase/withdraw/", account_views.account_erase_withdraw, name="my_erasure_withdraw"
    ),
    path("account/erasure-requests/", account_views.erasure_requests, name="erasure_requests"),
    path(
        "account/erasure-requests/<int:request_id>/confirm/",
        account_views.erasure_confirm,
        name="erasure_confirm",
    ),
    path("i18n/setlang/", set_language, name="set_language"),
    path("invitations/<str:token>/", programme_views.invitation_accept, name="invitation_accept"),
    path("programmes/", include("programmes.urls")),
    path("matching/", include("matching.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("diffusion/", include("diffusion.urls")),
    path("", include("group_life.urls")),
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
]
