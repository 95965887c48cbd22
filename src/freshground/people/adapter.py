from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no types
    """Allauth hooks: after confirming an e-mail, a new person goes to their profile to pick a display name."""

    def get_email_verification_redirect_url(self, email_address: object) -> str:
        from django.urls import reverse

        return reverse("people:edit_profile")

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        from django.conf import settings

        return bool(getattr(settings, "FRESHGROUND_OPEN_SIGNUP", True))
