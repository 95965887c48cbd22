# mypy: disable-error-code="arg-type,attr-defined"
"""Who may manage an event, see its private details, promote it and answer co-host invitations."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from freshground.events import permissions as perms
from freshground.events import services_hosts
from freshground.events.models import Event, EventHost, Promotion
from freshground.events.tests.core_helpers import make_event
from freshground.testing import factories

pytestmark = pytest.mark.django_db
ROLES = ["organiser", "member", "editor", "promoter", "admin", "outsider", "anonymous"]


@pytest.fixture
def world(cast):
    promoter_circle = factories.CircleFactory(name="Promoting Circle")
    promoter = factories.PersonFactory(display_name="Pat Promoter")
    factories.add_member(promoter_circle, promoter, "organiser")
    event = make_event(cast.organiser, host_circle=cast.circle, address_for_registered_only=True)
    services_hosts.promote(person=promoter, event=event, circle=promoter_circle)
    people = {role: getattr(cast, role) for role in ("organiser", "member", "editor", "admin", "outsider")}
    people["promoter"] = promoter
    people["anonymous"] = AnonymousUser()
    return event, people


@pytest.mark.parametrize("role", ROLES)
def test_manage_matrix(world, role):
    event, people = world
    expected = role in ("organiser", "admin")
    assert perms.can_manage_event(people[role], event) is expected
    assert perms.can_see_registrations(people[role], event) is expected
    assert perms.can_see_private_address(people[role], event) is expected
    assert perms.can_view_event(people[role], event) is True


@pytest.mark.parametrize("role", ROLES)
def test_promote_matrix(world, cast, role):
    _event, people = world
    assert perms.can_promote(people[role], circle=cast.circle) is (role in ("organiser", "admin"))
    assert perms.can_promote(people[role], center=cast.center) is (role in ("editor", "admin"))


@pytest.mark.parametrize("role", ROLES)
def test_cohost_answer_matrix(world, cast, role):
    event, people = world
    host = services_hosts.invite_cohost(person=cast.organiser, event=event, center=cast.center)
    assert perms.can_answer_cohost_invite(people[role], host) is (role in ("editor", "admin"))
    perms.forget_managed_events(people[role])
    fresh = Event.objects.get(pk=event.pk)
    # A pending co-host's editors gain nothing over the event.
    assert perms.can_manage_event(people[role], fresh) is (role in ("organiser", "admin"))


def test_demo_has_events(db):
    from freshground.core.demo_data import load_demo

    load_demo()
    assert Event.objects.filter(slug="capital-reading-group").get().occurrences.count() == 12
    assert Event.objects.get(slug="leeds-discussion-past").status == "closed"
    assert EventHost.objects.filter(event__slug="pamphlet-launch-nhs", status="accepted").count() == 2
    assert Promotion.objects.count() >= 4
    before = Event.objects.count()
    load_demo()
    assert Event.objects.count() == before
