# factory_boy factories are typed as the factory, not the model they build:
# mypy: disable-error-code="arg-type,attr-defined,comparison-overlap,misc"
"""The circle pages through the HTTP client: what each role sees and can do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from freshground.network.models import (
    Circle,
    Follow,
    JoinPolicy,
    MemberListVisibility,
    Membership,
    Tie,
)
from freshground.testing import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(client, person):
    client.force_login(person)
    return client


def text(response) -> str:
    return str(response.content.decode())


# Pages render


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "organiser", "editor", "admin"])
def test_circle_pages_render_for_every_role(client, cast, role):
    if role != "anonymous":
        signed_in(client, getattr(cast, role))
    slug = cast.circle.slug
    for url in (
        reverse("network:directory"),
        reverse("network:circle", args=[slug]),
        reverse("network:circle_members", args=[slug]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert cast.circle.name in text(response)


def test_home_page_links_resolve(client, cast):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert reverse("network:directory") in text(response)
    assert reverse("network:center_directory") in text(response)


def test_organiser_pages_render(client, cast):
    signed_in(client, cast.organiser)
    tie = Tie.objects.get(circle=cast.circle)
    for url in (
        reverse("network:circle_create"),
        reverse("network:circle_edit", args=[cast.circle.slug]),
        reverse("network:circle_invites", args=[cast.circle.slug]),
        reverse("network:tie_create", args=[cast.circle.slug]),
        reverse("network:tie_edit", args=[tie.pk]),
        reverse("network:tie_end", args=[tie.pk]),
    ):
        assert client.get(url).status_code == 200, url


# Circle page content


def test_circle_page_shows_description_ties_and_organiser_tools(client, cast):
    cast.circle.description = "We meet on **Tuesdays**. <script>alert(1)</script>"
    cast.circle.save()
    signed_in(client, cast.organiser)
    body = text(client.get(cast.circle.get_absolute_url()))
    assert "<strong>Tuesdays</strong>" in body
    assert "<script>alert(1)</script>" not in body
    assert cast.center.name in body
    assert "Literature" in body
    assert "Not yet acknowledged" in body
    assert reverse("network:circle_edit", args=[cast.circle.slug]) in body
    assert reverse("network:circle_invites", args=[cast.circle.slug]) in body
    assert reverse("network:tie_create", args=[cast.circle.slug]) in body


def test_ties_are_shown_side_by_side(client, cast):
    other = factories.CenterFactory(name="Blue Flame Collective")
    factories.tie(cast.circle, other, wants=["speakers", "advice"])
    body = text(client.get(cast.circle.get_absolute_url()))
    assert 'class="side-by-side"' in body
    assert body.index("Blue Flame Collective") < body.index("Red Thread Center")
    assert "Speakers" in body
    assert "Advice" in body


def test_members_only_list_hidden_from_outsider_and_anonymous(client, cast):
    for viewer in (None, cast.outsider):
        if viewer is not None:
            signed_in(client, viewer)
        for url in (cast.circle.get_absolute_url(), reverse("network:circle_members", args=[cast.circle.slug])):
            body = text(client.get(url))
            assert cast.member.display_name not in body
            assert cast.organiser.display_name not in body
            assert "The member list is for members of this circle only." in body


def test_center_editor_never_sees_members_only_list_of_tied_circle(client, cast):
    signed_in(client, cast.editor)
    for url in (
        cast.circle.get_absolute_url(),
        reverse("network:circle_members", args=[cast.circle.slug]),
        cast.center.get_absolute_url(),
    ):
        body = text(client.get(url))
        assert cast.member.display_name not in body, url
        assert cast.organiser.display_name not in body, url


def test_member_and_admin_see_members_only_list(client, cast):
    for viewer in (cast.member, cast.admin):
        signed_in(client, viewer)
        body = text(client.get(cast.circle.get_absolute_url()))
        assert cast.member.display_name in body
        assert cast.organiser.display_name in body


def test_public_member_list_shown_to_anonymous(client, cast):
    Circle.objects.filter(pk=cast.circle.pk).update(member_list_visibility=MemberListVisibility.PUBLIC)
    body = text(client.get(cast.circle.get_absolute_url()))
    assert cast.member.display_name in body


def test_anonymous_sees_login_link_with_next(client, cast):
    body = text(client.get(cast.circle.get_absolute_url()))
    assert f"{reverse('account_login')}?next=/circles/{cast.circle.slug}/" in body


def test_unknown_circle_is_404(client, db):
    assert client.get(reverse("network:circle", args=["nowhere"])).status_code == 404


# Create and edit


def test_create_circle(client, cast):
    signed_in(client, cast.outsider)
    response = client.post(
        reverse("network:circle_create"),
        {
            "name": "Night Shift Drivers",
            "description": "Drivers on nights.",
            "kind": "workplace",
            "place_name": "Bristol",
            "join_policy": "approval",
            "member_list_visibility": "members",
        },
        follow=True,
    )
    circle = Circle.objects.get(name="Night Shift Drivers")
    assert response.redirect_chain[-1][0] == circle.get_absolute_url()
    assert Membership.objects.get(circle=circle).person == cast.outsider
    assert "You are its first organiser" in text(response)


def test_create_circle_with_bad_input_saves_nothing(client, cast):
    signed_in(client, cast.outsider)
    response = client.post(
        reverse("network:circle_create"),
        {"name": "", "kind": "castle", "join_policy": "open", "member_list_visibility": "members", "latitude": "50"},
    )
    assert response.status_code == 200
    assert Circle.objects.count() == 1
    body = text(response)
    assert 'aria-invalid="true"' in body
    assert "Give both latitude and longitude, or neither." in body


def test_service_error_lands_on_field(client, cast, monkeypatch):
    from freshground.core.exceptions import DomainError
    from freshground.network import services

    def refuse(**kwargs):
        raise DomainError("That place is not allowed.", field="place_name")

    monkeypatch.setattr(services, "create_circle", refuse)
    signed_in(client, cast.outsider)
    response = client.post(
        reverse("network:circle_create"),
        {"name": "X", "kind": "city", "join_policy": "open", "member_list_visibility": "members"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["place_name"] == ["That place is not allowed."]


def test_create_circle_anonymous_goes_to_login(client, db):
    response = client.get(reverse("network:circle_create"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/circles/new/" in response["Location"]


def test_edit_circle(client, cast):
    signed_in(client, cast.organiser)
    url = reverse("network:circle_edit", args=[cast.circle.slug])
    form = client.get(url)
    assert 'value="Riverside Hospital Workers"' in text(form)
    response = client.post(
        url,
        {
            "name": "Riverside Health Workers",
            "kind": "workplace",
            "join_policy": "open",
            "member_list_visibility": "public",
            "description": "",
            "place_name": "Leeds",
        },
    )
    assert response.status_code == 302
    cast.circle.refresh_from_db()
    assert cast.circle.name == "Riverside Health Workers"
    assert cast.circle.member_list_visibility == "public"


@pytest.mark.parametrize("role", ["member", "editor", "outsider"])
def test_edit_circle_refused_with_403(client, cast, role):
    signed_in(client, getattr(cast, role))
    url = reverse("network:circle_edit", args=[cast.circle.slug])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"name": "Taken over", "kind": "city", "join_policy": "open", "member_list_visibility": "public"}
    )
    assert response.status_code == 403
    cast.circle.refresh_from_db()
    assert cast.circle.name == "Riverside Hospital Workers"


# Join, leave, follow


def test_join_open_circle_and_leave(client, cast):
    signed_in(client, cast.outsider)
    response = client.post(reverse("network:circle_join", args=[cast.circle.slug]), follow=True)
    assert "You have joined Riverside Hospital Workers." in text(response)
    assert "You are a member of this circle." in text(response)
    assert Membership.objects.filter(circle=cast.circle, person=cast.outsider).exists()
    response = client.post(reverse("network:circle_leave", args=[cast.circle.slug]), follow=True)
    assert "You have left Riverside Hospital Workers." in text(response)
    assert not Membership.objects.filter(circle=cast.circle, person=cast.outsider).exists()


def test_join_with_htmx_returns_action_box(client, cast):
    signed_in(client, cast.outsider)
    response = client.post(reverse("network:circle_join", args=[cast.circle.slug]), **HTMX)
    body = text(response)
    assert response.status_code == 200
    assert "<html" not in body
    assert "You are a member of this circle." in body
    assert 'hx-swap-oob="innerHTML"' in body
    assert "You have joined" in body
    # The message was shown in the partial, so it does not show again on the next page.
    assert "You have joined" not in text(client.get(cast.circle.get_absolute_url()))


def test_join_anonymous_redirects_to_login(client, cast):
    response = client.post(
        reverse("network:circle_join", args=[cast.circle.slug]),
        HTTP_REFERER=f"http://testserver{cast.circle.get_absolute_url()}",
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert f"next=/circles/{cast.circle.slug}/" in response["Location"]


def test_join_anonymous_htmx_gets_client_redirect(client, cast):
    response = client.post(reverse("network:circle_join", args=[cast.circle.slug]), **HTMX)
    assert response["HX-Redirect"].startswith(reverse("account_login"))


def test_join_approval_circle_refused_with_403(client, cast):
    Circle.objects.filter(pk=cast.circle.pk).update(join_policy=JoinPolicy.APPROVAL)
    signed_in(client, cast.outsider)
    response = client.post(reverse("network:circle_join", args=[cast.circle.slug]))
    assert response.status_code == 403
    assert "send a request instead" in text(response)


def test_join_twice_shows_message(client, cast):
    signed_in(client, cast.member)
    response = client.post(reverse("network:circle_join", args=[cast.circle.slug]), follow=True)
    assert "You are already a member of this circle." in text(response)


def test_last_organiser_cannot_leave_message(client, cast):
    signed_in(client, cast.organiser)
    response = client.post(reverse("network:circle_leave", args=[cast.circle.slug]), follow=True)
    assert "only organiser" in text(response)
    assert Membership.objects.filter(circle=cast.circle, person=cast.organiser).exists()


def test_leave_is_post_only(client, cast):
    signed_in(client, cast.member)
    assert client.get(reverse("network:circle_leave", args=[cast.circle.slug])).status_code == 405


def test_follow_and_unfollow(client, cast):
    signed_in(client, cast.outsider)
    url = reverse("network:circle_follow", args=[cast.circle.slug])
    response = client.post(url, follow=True)
    assert "You follow Riverside Hospital Workers now." in text(response)
    assert "Stop following" in text(response)
    assert Follow.objects.filter(person=cast.outsider, circle=cast.circle).exists()
    response = client.post(url, {"follow": "0"}, **HTMX)
    assert "<html" not in text(response)
    assert ">Follow<" in text(response).replace("\n", "")
    assert not Follow.objects.filter(person=cast.outsider, circle=cast.circle).exists()
    cast.circle.refresh_from_db()
    assert cast.circle.follower_count == 0
