# factory_boy factories are typed as the factory, not the model they build:
# mypy: disable-error-code="arg-type,attr-defined,comparison-overlap,misc"
"""Center pages and ties through the HTTP client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from freshground.network.models import Center, CenterEditor, Follow, Tie
from freshground.testing import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    return str(response.content.decode())


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "organiser", "editor", "admin"])
def test_center_pages_render_for_every_role(client, cast, role):
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    for url in (reverse("network:center_directory"), cast.center.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        assert cast.center.name in text(response)


def test_center_page_shows_details_and_tied_circles(client, cast):
    Center.objects.filter(pk=cast.center.pk).update(
        website="https://redthread.example.org", description="Pamphlets and *reading groups*."
    )
    body = text(client.get(cast.center.get_absolute_url()))
    assert '<a href="https://redthread.example.org" rel="nofollow noopener">' in body
    assert "<em>reading groups</em>" in body
    assert "democratic socialist" in body
    assert cast.editor.display_name in body
    assert cast.circle.name in body
    assert "Literature" in body
    assert "0 followers" in body


def test_editor_acknowledges_tie(client, cast):
    tie = Tie.objects.get(circle=cast.circle)
    client.force_login(cast.editor)
    body = text(client.get(cast.center.get_absolute_url()))
    assert reverse("network:tie_acknowledge", args=[tie.pk]) in body
    response = client.post(reverse("network:tie_acknowledge", args=[tie.pk]), follow=True)
    assert "You have acknowledged the tie from Riverside Hospital Workers." in text(response)
    tie.refresh_from_db()
    assert tie.acknowledged_at is not None
    assert "Acknowledged by the center" in text(client.get(cast.circle.get_absolute_url()))


def test_acknowledge_with_htmx_returns_the_tie_item(client, cast):
    tie = Tie.objects.get(circle=cast.circle)
    client.force_login(cast.editor)
    response = client.post(reverse("network:tie_acknowledge", args=[tie.pk]), **HTMX)
    body = text(response)
    assert "<html" not in body
    assert f'<li id="tie-{tie.pk}">' in body
    assert "Acknowledged" in body


@pytest.mark.parametrize("role", ["organiser", "member", "outsider"])
def test_acknowledge_refused_with_403(client, cast, role):
    tie = Tie.objects.get(circle=cast.circle)
    client.force_login(getattr(cast, role))
    assert reverse("network:tie_acknowledge", args=[tie.pk]) not in text(client.get(cast.center.get_absolute_url()))
    assert client.post(reverse("network:tie_acknowledge", args=[tie.pk])).status_code == 403
    tie.refresh_from_db()
    assert tie.acknowledged_at is None


def test_follow_center(client, cast):
    client.force_login(cast.outsider)
    url = reverse("network:center_follow", args=[cast.center.slug])
    response = client.post(url, follow=True)
    assert "You follow Red Thread Center now." in text(response)
    assert Follow.objects.filter(person=cast.outsider, center=cast.center).exists()
    response = client.post(url, **HTMX)
    body = text(response)
    assert "<html" not in body
    assert "You no longer follow Red Thread Center." in body
    assert "0 followers" in body
    assert not Follow.objects.filter(person=cast.outsider, center=cast.center).exists()


def test_follow_center_anonymous_goes_to_login(client, cast):
    response = client.post(reverse("network:center_follow", args=[cast.center.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_create_center(client, cast):
    client.force_login(cast.outsider)
    assert client.get(reverse("network:center_create")).status_code == 200
    response = client.post(
        reverse("network:center_create"),
        {"name": "Solidarity Library", "tendency": "anarchist", "website": "solidarity.example.org"},
        follow=True,
    )
    center = Center.objects.get(name="Solidarity Library")
    assert center.website == "https://solidarity.example.org"
    assert CenterEditor.objects.filter(center=center, person=cast.outsider).exists()
    assert "You are its first editor" in text(response)


def test_create_center_bad_input(client, cast):
    client.force_login(cast.outsider)
    response = client.post(reverse("network:center_create"), {"name": "", "website": "ftp://x"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "website"}
    assert Center.objects.count() == 1


def test_edit_center(client, cast):
    client.force_login(cast.editor)
    url = reverse("network:center_edit", args=[cast.center.slug])
    assert 'value="Red Thread Center"' in text(client.get(url))
    response = client.post(url, {"name": "Red Thread", "tendency": "Marxist-Humanist", "description": ""})
    assert response.status_code == 302
    cast.center.refresh_from_db()
    assert cast.center.tendency == "Marxist-Humanist"


@pytest.mark.parametrize("role", ["organiser", "member", "outsider"])
def test_edit_center_refused_with_403(client, cast, role):
    client.force_login(getattr(cast, role))
    url = reverse("network:center_edit", args=[cast.center.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Taken"}).status_code == 403


def test_editors_add_and_remove(client, cast):
    client.force_login(cast.editor)
    url = reverse("network:center_editors", args=[cast.center.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"email": cast.member.email.upper()}, follow=True)
    assert f"{cast.member.display_name} is now an editor." in text(response)
    assert CenterEditor.objects.filter(center=cast.center, person=cast.member).exists()
    response = client.post(
        reverse("network:center_editor_remove", args=[cast.center.slug, cast.member.pk]), follow=True
    )
    assert "is no longer an editor" in text(response)
    assert not CenterEditor.objects.filter(center=cast.center, person=cast.member).exists()


def test_editors_unknown_email_is_a_form_error(client, cast):
    client.force_login(cast.editor)
    response = client.post(reverse("network:center_editors", args=[cast.center.slug]), {"email": "no@example.org"})
    assert response.status_code == 200
    assert "No one with that address has an account here." in text(response)


def test_center_keeps_one_editor(client, cast):
    client.force_login(cast.editor)
    response = client.post(
        reverse("network:center_editor_remove", args=[cast.center.slug, cast.editor.pk]), follow=True
    )
    assert "A center always keeps at least one editor." in text(response)
    assert CenterEditor.objects.filter(center=cast.center).count() == 1


@pytest.mark.parametrize("role", ["organiser", "member", "outsider"])
def test_editors_page_refused_with_403(client, cast, role):
    client.force_login(getattr(cast, role))
    url = reverse("network:center_editors", args=[cast.center.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"email": cast.outsider.email}).status_code == 403
    remove = reverse("network:center_editor_remove", args=[cast.center.slug, cast.editor.pk])
    assert client.post(remove).status_code == 403


# Ties


def test_declare_tie_from_center_page(client, cast):
    other = factories.CenterFactory(name="Blue Flame Collective")
    client.force_login(cast.organiser)
    body = text(client.get(other.get_absolute_url()))
    link = f"{reverse('network:tie_create', args=[cast.circle.slug])}?center={other.slug}"
    assert link in body
    form = client.get(link)
    assert f'<option value="{other.pk}" selected>' in text(form)
    assert 'type="checkbox"' in text(form)
    assert "<legend" in text(form)
    response = client.post(
        reverse("network:tie_create", args=[cast.circle.slug]),
        {"center": other.pk, "wants": ["speakers", "linkups"], "note": "Please send a speaker."},
        follow=True,
    )
    assert "is now tied to Blue Flame Collective" in text(response)
    tie = Tie.objects.get(circle=cast.circle, center=other)
    assert tie.wants == ["speakers", "linkups"]
    assert "Please send a speaker." in text(response)


def test_tie_center_search_narrows_choices(client, cast):
    factories.CenterFactory(name="Blue Flame Collective")
    factories.CenterFactory(name="Green Shoots")
    client.force_login(cast.organiser)
    url = reverse("network:tie_create", args=[cast.circle.slug])
    body = text(client.get(url, {"center_q": "flame"}))
    assert "Blue Flame Collective" in body
    assert "Green Shoots" not in body
    # Already tied: not offered.
    assert f">{cast.center.name}<" not in body
    partial = client.get(url, {"center_q": "green"}, **HTMX)
    assert "<html" not in text(partial)
    assert "Green Shoots" in text(partial)


def test_declare_duplicate_tie_is_form_error(client, cast):
    client.force_login(cast.organiser)
    response = client.post(
        reverse("network:tie_create", args=[cast.circle.slug]), {"center": cast.center.pk, "wants": ["advice"]}
    )
    assert response.status_code == 200
    assert "already tied to Red Thread Center" in text(response)
    assert Tie.objects.filter(circle=cast.circle).count() == 1


@pytest.mark.parametrize("role", ["editor", "member", "outsider"])
def test_tie_pages_refused_with_403(client, cast, role):
    tie = Tie.objects.get(circle=cast.circle)
    client.force_login(getattr(cast, role))
    for url in (
        reverse("network:tie_create", args=[cast.circle.slug]),
        reverse("network:tie_edit", args=[tie.pk]),
        reverse("network:tie_end", args=[tie.pk]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"center": cast.center.pk, "wants": ["advice"]}).status_code == 403, url
    tie.refresh_from_db()
    assert tie.is_active
    assert tie.wants == ["literature"]


def test_tie_pages_anonymous_go_to_login(client, cast):
    tie = Tie.objects.get(circle=cast.circle)
    response = client.get(reverse("network:tie_edit", args=[tie.pk]))
    assert response.status_code == 302
    assert f"next=/ties/{tie.pk}/edit/" in response["Location"]


def test_edit_tie(client, cast):
    tie = Tie.objects.get(circle=cast.circle)
    client.force_login(cast.organiser)
    url = reverse("network:tie_edit", args=[tie.pk])
    assert 'value="literature" checked' in text(client.get(url)).replace('id="id_wants_0" ', "")
    response = client.post(url, {"wants": ["advice", "literature"], "note": "Thanks"}, follow=True)
    assert "is updated" in text(response)
    tie.refresh_from_db()
    assert tie.wants == ["literature", "advice"]
    assert tie.note == "Thanks"


def test_edit_tie_unknown_want_is_form_error(client, cast):
    tie = Tie.objects.get(circle=cast.circle)
    client.force_login(cast.organiser)
    response = client.post(reverse("network:tie_edit", args=[tie.pk]), {"wants": ["money"]})
    assert response.status_code == 200
    assert "wants" in response.context["form"].errors


def test_end_tie_with_confirmation(client, cast):
    tie = Tie.objects.get(circle=cast.circle)
    client.force_login(cast.organiser)
    url = reverse("network:tie_end", args=[tie.pk])
    page = text(client.get(url))
    assert "End the tie to Red Thread Center?" in page
    assert 'method="post"' in page
    response = client.post(url, follow=True)
    assert "The tie to Red Thread Center has ended." in text(response)
    tie.refresh_from_db()
    assert not tie.is_active
    assert "This circle is not tied to any center yet." in text(response)
    # Ending it again is a message, not an error page.
    response = client.post(url, follow=True)
    assert "This tie has already ended." in text(response)
    assert client.get(url).status_code == 404
    assert client.get(reverse("network:tie_edit", args=[tie.pk])).status_code == 404


def test_unknown_tie_and_center_are_404(client, cast):
    client.force_login(cast.organiser)
    assert client.get(reverse("network:tie_edit", args=[999])).status_code == 404
    assert client.get(reverse("network:center", args=["nowhere"])).status_code == 404


@pytest.mark.parametrize("n_ties", [1, 12, 30])
def test_center_page_query_count_is_fixed(client, db, django_assert_num_queries, n_ties):
    center = factories.CenterFactory()
    factories.add_editor(center, factories.PersonFactory())
    for _ in range(n_ties):
        circle = factories.CircleFactory()
        factories.add_member(circle, factories.PersonFactory())
        factories.tie(circle, center)
    # center, editors with people, the count of ties, one page of ties with circles, upcoming events
    with django_assert_num_queries(5):
        response = client.get(center.get_absolute_url())
    assert response.status_code == 200
    assert response.content.count(b'id="tie-') == min(n_ties, 24)


def test_center_page_pages_through_many_ties(client, db):
    center = factories.CenterFactory()
    circles = [factories.CircleFactory(name=f"Circle {i:02d}") for i in range(30)]
    for circle in circles:
        factories.tie(circle, center)
    second = client.get(center.get_absolute_url() + "?page=2")
    assert b"Circle 29" in second.content
    assert b"Circle 00" not in second.content
    assert b"30 circles relate to it" in second.content
