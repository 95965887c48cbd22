"""Account pages (allauth) in the site's look: signup to profile, logging in with two-factor, every page renders."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from freshground.people.models import Person
from freshground.testing.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase 42"


def totp_code(secret: str) -> str:
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


def log_in(client, person, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": person.email, "password": password})


def test_signup_confirm_and_choose_a_pseudonym(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert 'href="/static/freshground/css/site.css"' in page  # our layout, not allauth's bare one
    assert "pseudonym is welcome" in page
    response = client.post(
        reverse("account_signup"),
        {"email": "porter@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()
    person = Person.objects.get(email="porter@example.org")
    assert person.display_name.startswith("member-")  # never a real name

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["porter@example.org"]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", str(mail.outbox[0].body))
    assert link is not None
    confirm_page = client.get(link.group(1))
    assert confirm_page.status_code == 200
    assert "porter@example.org" in confirm_page.content.decode()

    response = client.post(link.group(1))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)  # confirming logs in
    edit = client.get(reverse("people:edit_profile"))
    assert edit.status_code == 200
    assert "Display name" in edit.content.decode()

    data = {key: value for key, value in edit.context["form"].initial.items() if value is not None}
    data["display_name"] = "Night Porter"
    response = client.post(reverse("people:edit_profile"), data, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("people:profile", args=[person.pk])
    assert "<h1>Night Porter</h1>" in page
    assert "Your profile is saved." in page


def test_unverified_account_cannot_log_in(client):
    client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    client.logout()
    response = client.post(reverse("account_login"), {"login": "new@example.org", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_login_and_wrong_password(client):
    person = PersonFactory.create()
    page = client.get(reverse("account_login")).content.decode()
    assert '<label for="id_login">' in page
    assert '<label for="id_password">' in page
    response = log_in(client, person, "not it")
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    response = log_in(client, person)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_entrance_pages_render_in_our_look(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="site-header"' in page
    assert '<main id="main"' in page
    assert page.count("<h1") == 1


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("account_email", "E-mail addresses"),
        ("account_change_password", "Change your password"),
        ("account_logout", "Log out"),
        ("mfa_index", "Two-factor authentication"),
    ],
)
def test_manage_pages_render_in_our_look(client, name, heading):
    person = PersonFactory.create()
    log_in(client, person)
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert 'class="settings-nav"' in page or name == "account_logout"
    assert "<script>" not in page  # no inline scripts: the CSP would block them


def test_email_page_lists_addresses_and_adds_one(client):
    person = PersonFactory.create()
    log_in(client, person)
    page = client.get(reverse("account_email")).content.decode()
    assert person.email in page
    assert "Confirmed" in page
    mail.outbox.clear()
    response = client.post(reverse("account_email"), {"action_add": "", "email": "second@example.org"})
    assert response.status_code == 302
    assert "second@example.org" in client.get(reverse("account_email")).content.decode()
    assert mail.outbox[0].to == ["second@example.org"]


def test_password_change(client):
    person = PersonFactory.create()
    log_in(client, person)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_password_reset_sends_a_link_that_works(client):
    person = PersonFactory.create()
    response = client.post(reverse("account_reset_password"), {"email": person.email})
    assert response.status_code == 302
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", str(mail.outbox[0].body))
    assert link is not None
    response = client.get(link.group(1), follow=True)
    assert "Choose a new password" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert "Your password is changed" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_bad_reset_link_says_so(client):
    response = client.get("/accounts/password/reset/key/1-nonsense/", follow=True)
    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()


def test_totp_activation_shows_qr_and_turns_two_factor_on(client):
    person = PersonFactory.create()
    log_in(client, person)
    # Turning two-factor on asks for the password again first.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    reauthenticate = client.get(response["Location"]).content.decode()
    assert 'class="site-header"' in reauthenticate
    assert '<label for="id_password">' in reauthenticate
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    assert 'alt="QR code holding your authenticator secret"' in page
    secret = client.session[SECRET_SESSION_KEY]
    assert f'value="{secret}"' in page
    assert '<label for="id_code">' in page

    response = client.post(reverse("mfa_activate_totp"), {"code": "000000" if totp_code(secret) != "000000" else "1"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    assert "Unused codes" in codes.content.decode()
    index = client.get(reverse("mfa_index")).content.decode()
    assert "Turn off" in index
    settings_page = client.get(reverse("people:settings")).content.decode()
    assert "On: logging in asks for a code" in settings_page


def test_login_with_two_factor_asks_for_the_code(client):
    person = PersonFactory.create()
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(person, secret)
    response = log_in(client, person)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Two-factor authentication" in page
    assert '<label for="id_code">' in page
    assert 'autocomplete="one-time-code"' in page

    response = client.post(reverse("mfa_authenticate"), {"code": "12345x"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_confirming_after_signup_leads_to_edit_profile(client):
    client.post(
        reverse("account_signup"),
        {"email": "kite@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", str(mail.outbox[0].body))
    assert link is not None
    response = client.post(link.group(1))
    assert response["Location"] == reverse("people:edit_profile")
