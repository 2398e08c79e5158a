"""django-allauth adapter: PeerLearn is joined by invitation unless public sign-up is enabled."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.PEERLEARN_PUBLIC_SIGNUP)
