"""django-allauth adapter: PeerLearn is joined by invitation unless public sign-up is enabled."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.PEERLEARN_PUBLIC_SIGNUP)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Failed logins count per account *and* client address.

        allauth counts them per account alone, so anyone who knows an address can keep its
        owner locked out by failing on purpose. Guessing from one place is still slowed down
        here, and the per-address limits of ``login_failed`` stop spraying many accounts.
        """
        account = super()._get_login_attempts_cache_key(request, **credentials)
        # The client address as allauth's own limits see it (IPv6 cut to its network prefix).
        return f"{account}:{ratelimit.get_ip(request)}"
