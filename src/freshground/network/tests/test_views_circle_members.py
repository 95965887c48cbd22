# factory_boy factories are typed as the factory, not the model they build:
# mypy: disable-error-code="arg-type,attr-defined,comparison-overlap,misc"
"""Joining circles by request and invite, managing members, and the circle pages' query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from freshground.network.models import (
    Circle,
    Invite,
    JoinPolicy,
    JoinRequest,
    MemberListVisibility,
    Membership,
    Role,
)
from freshground.testing import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(client, person):
    client.force_login(person)
    return client


def text(response) -> str:
    return str(response.content.decode())


# Requests to join


@pytest.fixture
def approval_circle(cast):
    Circle.objects.filter(pk=cast.circle.pk).update(join_policy=JoinPolicy.APPROVAL)
    cast.circle.refresh_from_db()
    return cast.circle


def test_request_to_join_approve_flow(client, cast, approval_circle):
    signed_in(client, cast.outsider)
    body = text(client.get(approval_circle.get_absolute_url()))
    assert reverse("network:circle_request", args=[approval_circle.slug]) in body
    url = reverse("network:circle_request", args=[approval_circle.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"message": "I work on ward 4."}, follow=True)
    assert "Your request is on its way" in text(response)
    assert "waiting for the organisers" in text(response)
    join_request = JoinRequest.objects.get(circle=approval_circle, person=cast.outsider)
    assert join_request.message == "I work on ward 4."

    signed_in(client, cast.organiser)
    members_url = reverse("network:circle_members", args=[approval_circle.slug])
    page = text(client.get(members_url))
    assert "I work on ward 4." in page
    assert "1 waiting" in text(client.get(approval_circle.get_absolute_url()))
    response = client.post(members_url, {"action": "approve", "target": join_request.pk}, follow=True)
    assert f"{cast.outsider.display_name} is now a member." in text(response)
    assert Membership.objects.filter(circle=approval_circle, person=cast.outsider).exists()


def test_request_decline_and_withdraw(client, cast, approval_circle):
    signed_in(client, cast.outsider)
    url = reverse("network:circle_request", args=[approval_circle.slug])
    client.post(url, {"message": ""})
    response = client.post(reverse("network:circle_request_withdraw", args=[approval_circle.slug]), **HTMX)
    assert "Your request is withdrawn." in text(response)
    assert "Ask to join" in text(response)
    assert not JoinRequest.objects.filter(status=JoinRequest.Status.PENDING).exists()

    client.post(url, {"message": "again"})
    join_request = JoinRequest.objects.get(status=JoinRequest.Status.PENDING)
    signed_in(client, cast.organiser)
    response = client.post(
        reverse("network:circle_members", args=[approval_circle.slug]),
        {"action": "decline", "target": join_request.pk},
        follow=True,
    )
    assert "is declined" in text(response)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED


def test_duplicate_request_shows_form_error(client, cast, approval_circle):
    signed_in(client, cast.outsider)
    url = reverse("network:circle_request", args=[approval_circle.slug])
    client.post(url, {"message": ""})
    # A second POST (say from another tab) is answered with a message, not a 500 or a second request.
    response = client.post(url, {"message": "again"}, follow=True)
    assert response.status_code == 200
    assert "already waiting" in text(response)
    assert JoinRequest.objects.filter(person=cast.outsider).count() == 1
    assert "Withdraw my request" in text(client.get(url))


def test_request_page_for_open_circle_redirects(client, cast):
    signed_in(client, cast.outsider)
    response = client.get(reverse("network:circle_request", args=[cast.circle.slug]), follow=True)
    assert "you can join it straight away" in text(response)


def test_request_anonymous_redirects_with_next(client, cast, approval_circle):
    url = reverse("network:circle_request", args=[approval_circle.slug])
    response = client.get(url)
    assert response.status_code == 302
    assert f"next=/circles/{approval_circle.slug}/request/" in response["Location"]


# Managing members


def test_promote_demote_remove(client, cast):
    signed_in(client, cast.organiser)
    url = reverse("network:circle_members", args=[cast.circle.slug])
    response = client.post(url, {"action": "promote", "target": cast.member.pk}, follow=True)
    assert "is now an organiser" in text(response)
    assert Membership.objects.get(person=cast.member).role == Role.ORGANISER
    client.post(url, {"action": "demote", "target": cast.member.pk})
    assert Membership.objects.get(person=cast.member).role == Role.MEMBER
    response = client.post(url, {"action": "remove", "target": cast.member.pk}, follow=True)
    assert "is no longer a member" in text(response)
    assert not Membership.objects.filter(person=cast.member, circle=cast.circle).exists()


def test_circle_keeps_one_organiser_message(client, cast):
    signed_in(client, cast.organiser)
    url = reverse("network:circle_members", args=[cast.circle.slug])
    response = client.post(url, {"action": "demote", "target": cast.organiser.pk}, follow=True)
    assert "A circle always keeps at least one organiser." in text(response)
    assert 'class="message message-error"' in text(response)
    assert Membership.objects.get(person=cast.organiser).role == Role.ORGANISER


@pytest.mark.parametrize("role", ["member", "editor", "outsider"])
def test_member_actions_refused_with_403(client, cast, role):
    signed_in(client, getattr(cast, role))
    url = reverse("network:circle_members", args=[cast.circle.slug])
    response = client.post(url, {"action": "remove", "target": cast.member.pk})
    assert response.status_code == 403
    assert Membership.objects.filter(person=cast.member).exists()


def test_member_action_on_stranger_is_404(client, cast):
    signed_in(client, cast.organiser)
    url = reverse("network:circle_members", args=[cast.circle.slug])
    assert client.post(url, {"action": "remove", "target": cast.outsider.pk}).status_code == 404


def test_members_page_shows_roles_to_member(client, cast):
    signed_in(client, cast.member)
    body = text(client.get(reverse("network:circle_members", args=[cast.circle.slug])))
    assert cast.organiser.display_name in body
    assert "Organiser" in body
    assert "Make" not in body  # no organiser tools for a plain member


# Invites


def test_invite_create_accept_revoke(client, cast, approval_circle):
    signed_in(client, cast.organiser)
    url = reverse("network:circle_invites", args=[approval_circle.slug])
    response = client.post(url, {"max_uses": 2, "days": 7}, follow=True)
    invite = Invite.objects.get(circle=approval_circle)
    assert f"http://testserver/invite/{invite.token}/" in text(response)
    assert "0 of 2" in text(response)

    client.logout()
    invite_url = reverse("network:invite", args=[invite.token])
    page = text(client.get(invite_url))
    assert approval_circle.name in page
    assert f"{reverse('account_login')}?next=/invite/{invite.token}/" in page
    response = client.post(invite_url)
    assert response.status_code == 302
    assert f"next=/invite/{invite.token}/" in response["Location"]

    signed_in(client, cast.outsider)
    assert "Accept and join" in text(client.get(invite_url))
    response = client.post(invite_url, follow=True)
    assert "Welcome to" in text(response)
    assert Membership.objects.filter(circle=approval_circle, person=cast.outsider).exists()
    invite.refresh_from_db()
    assert invite.uses == 1

    signed_in(client, cast.organiser)
    response = client.post(reverse("network:invite_revoke", args=[approval_circle.slug, invite.pk]), follow=True)
    assert "no longer works" in text(response)
    invite.refresh_from_db()
    assert invite.revoked
    assert client.get(invite_url).status_code == 404


def test_invite_form_errors(client, cast):
    signed_in(client, cast.organiser)
    response = client.post(reverse("network:circle_invites", args=[cast.circle.slug]), {"max_uses": 0, "days": 400})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"max_uses", "days"}
    assert not Invite.objects.exists()


@pytest.mark.parametrize("role", ["member", "editor", "outsider"])
def test_invites_page_refused_with_403(client, cast, role):
    signed_in(client, getattr(cast, role))
    url = reverse("network:circle_invites", args=[cast.circle.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"max_uses": 2, "days": 2}).status_code == 403


def test_unknown_invite_is_404(client, db):
    response = client.get(reverse("network:invite", args=["nope"]))
    assert response.status_code == 404
    assert "expired or was withdrawn" in text(response)


# Query counts


def _world(n_ties: int, n_members: int):
    circle = factories.CircleFactory(name="Counted", member_list_visibility=MemberListVisibility.PUBLIC)
    organiser = factories.PersonFactory()
    factories.add_member(circle, organiser, Role.ORGANISER)
    for _ in range(n_members):
        factories.add_member(circle, factories.PersonFactory())
    for _ in range(n_ties):
        factories.tie(circle, factories.CenterFactory())
    return circle, organiser


@pytest.mark.parametrize(("n_ties", "n_members"), [(1, 1), (6, 15)])
def test_circle_page_query_count_is_fixed_for_anonymous(client, db, django_assert_num_queries, n_ties, n_members):
    circle, _organiser = _world(n_ties, n_members)
    # circle, ties with centers, members with people, upcoming events (the events app's panel)
    with django_assert_num_queries(4):
        assert client.get(circle.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(("n_ties", "n_members"), [(1, 1), (6, 15)])
def test_circle_page_query_count_is_fixed_for_organiser(client, db, django_assert_num_queries, n_ties, n_members):
    circle, organiser = _world(n_ties, n_members)
    client.force_login(organiser)
    # session, person, circle, membership, follow, ties, members, waiting requests, upcoming events
    with django_assert_num_queries(9):
        assert client.get(circle.get_absolute_url()).status_code == 200
