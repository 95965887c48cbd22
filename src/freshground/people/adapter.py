from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no types
    """Allauth hooks: after confirming an e-mail, a new person goes to their profile to pick a display name."""

    def get_email_verification_redirect_url(self, email_address: object) -> str:
        return reverse("people:edit_profile")

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        # Confirming in the session that signed up logs in through the signup flow, not the verification one.
        return reverse("people:edit_profile")

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(getattr(settings, "FRESHGROUND_OPEN_SIGNUP", True))
