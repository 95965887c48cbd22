from __future__ import annotations

from io import StringIO
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from freshground.core.demo_network import DEMO_DOMAIN, DEMO_PASSWORD, LOGINS
from freshground.network.models import Circle, JoinRequest, Membership, Role, Tie
from freshground.people.models import Person

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def run_demo() -> str:
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("demo", "--no-serve", stdout=out)
    return out.getvalue()


def test_demo_twice_creates_nothing_the_second_time():
    first = run_demo()
    assert "organiser@example.org" in first
    after_first = row_counts()
    assert after_first["people.Person"] == 36
    assert after_first["network.Circle"] == 12
    assert after_first["network.Center"] == 6

    second = run_demo()
    assert "nothing new was created" in second
    assert row_counts() == after_first


def test_demo_network_is_consistent():
    run_demo()
    for circle in Circle.objects.all():
        assert circle.memberships.filter(role=Role.ORGANISER).exists(), circle
        assert circle.member_count == circle.memberships.count(), circle
    assert JoinRequest.objects.filter(status=JoinRequest.Status.PENDING).count() == 2
    assert Tie.objects.filter(acknowledged_at__isnull=False).exists()
    assert Tie.objects.filter(acknowledged_at__isnull=True).exists()
    admin = Person.objects.get(email=f"admin@{DEMO_DOMAIN}")
    assert admin.is_staff
    assert admin.is_superuser
    assert Membership.objects.filter(person__email=f"member@{DEMO_DOMAIN}").count() >= 2
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == Person.objects.count()


def test_demo_logins_can_sign_in():
    run_demo()
    for key, _role in LOGINS:
        client = Client()
        email = f"{key}@{DEMO_DOMAIN}"
        response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, key
        assert response["Location"] == reverse("home")
        assert client.session.get("_auth_user_id") == str(Person.objects.get(email=email).pk)


def test_demo_refuses_without_debug():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo", "--no-serve", stdout=StringIO())


def test_demo_serves_on_the_given_address():
    with override_settings(DEBUG=True), mock.patch("freshground.core.management.commands.demo.call_command") as fake:
        call_command("demo", "--port", "8123", "--addr", "127.0.0.1", stdout=StringIO())
    fake.assert_any_call("runserver", "127.0.0.1:8123", use_reloader=False)


def test_worker_refuses_a_backend_without_worker():
    with pytest.raises(CommandError, match="has no worker"):
        call_command("worker", "--batch", stdout=StringIO())


RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def test_worker_refuses_redis_without_django_rq():
    with override_settings(TASKS=RQ_TASKS), pytest.raises(CommandError, match="django_rq"):
        call_command("worker", "--batch", stdout=StringIO())


def test_worker_refuses_unreachable_redis():
    queues = {"default": {"URL": "redis://127.0.0.1:1/0", "DEFAULT_TIMEOUT": 5}}
    with (
        override_settings(TASKS=RQ_TASKS, RQ_QUEUES=queues),
        mock.patch.object(apps, "is_installed", return_value=True),
        mock.patch("django_rq.get_connection") as connection,
    ):
        connection.return_value.ping.side_effect = ConnectionError("Connection refused")
        with pytest.raises(CommandError, match="Cannot reach Redis"):
            call_command("worker", "--batch", stdout=StringIO())


def test_worker_refuses_unknown_rq_queue():
    with (
        override_settings(TASKS=RQ_TASKS, RQ_QUEUES={"default": {"URL": "redis://127.0.0.1:1/0"}}),
        mock.patch.object(apps, "is_installed", return_value=True),
        pytest.raises(CommandError, match="not configured"),
    ):
        call_command("worker", "--batch", "--queue-name", "mail", stdout=StringIO())


def test_worker_runs_db_worker_with_options_and_scheduler():
    db_tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with (
        override_settings(TASKS=db_tasks),
        mock.patch("freshground.core.management.commands.worker.call_command") as fake,
        mock.patch("freshground.core.scheduler.tick") as tick,
    ):
        call_command("worker", "--batch", "--queue-name", "default,mail", "--interval", "2", stdout=StringIO())
    tick.assert_called_once()
    fake.assert_called_once_with(
        "db_worker", verbosity=1, queue_name="default,mail", batch=True, interval=2.0, startup_delay=False
    )


def test_worker_runs_rq_worker_with_django_tasks_job_class():
    queues = {"default": {"URL": "redis://127.0.0.1:1/0"}}
    with (
        override_settings(TASKS=RQ_TASKS, RQ_QUEUES=queues),
        mock.patch.object(apps, "is_installed", return_value=True),
        mock.patch("django_rq.get_connection"),
        mock.patch("freshground.core.management.commands.worker.call_command") as fake,
    ):
        call_command("worker", "--batch", "--no-scheduler", stdout=StringIO())
    fake.assert_called_once_with(
        "rqworker", "default", verbosity=1, job_class="django_tasks_rq.Job", burst=True, with_scheduler=True
    )
