"""Login attempts are rate limited (allauth's limits, kept on in production settings)."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from freshground import settings as production_settings
from freshground.testing.factories import PASSWORD, PersonFactory


@pytest.fixture
def limits():
    cache.clear()
    with override_settings(ACCOUNT_RATE_LIMITS=production_settings.ACCOUNT_RATE_LIMITS):
        yield
    cache.clear()


def _login(client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_production_settings_keep_the_limits_on():
    assert production_settings.ACCOUNT_RATE_LIMITS
    assert "login_failed" in production_settings.ACCOUNT_RATE_LIMITS


def test_repeated_wrong_passwords_lock_out_that_account(client, db, limits):
    person = PersonFactory()
    for _ in range(5):
        response = _login(client, person.email, "not the password")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    # The sixth try is refused even with the right password, with a message saying why.
    response = _login(client, person.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert response.status_code in {200, 429}
    assert "Too many" in response.content.decode()


def test_other_accounts_are_not_locked_by_someone_elses_failures(client, db, limits):
    target = PersonFactory()
    bystander = PersonFactory()
    for _ in range(5):
        _login(client, target.email, "not the password")
    response = _login(client, bystander.email, PASSWORD)
    assert response.status_code == 302
