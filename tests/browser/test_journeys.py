"""Whole journeys in a real browser: signing up, starting and tying a circle, finding and joining it."""

from __future__ import annotations

import re

import pytest
from browser_support import confirmation_path, submit
from playwright.sync_api import expect

from freshground.network.models import Circle, Membership, Tie
from freshground.people.models import Person
from freshground.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOIN = re.compile(r"^\s*Join\b", re.IGNORECASE)
LEAVE = re.compile(r"^\s*Leave\b", re.IGNORECASE)


def log_in_with_the_form(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    submit(page, "#id_login")
    expect(page.locator(".account-nav")).to_contain_text("Log out")


def test_sign_up_start_a_circle_tie_it_and_someone_joins(new_browsing, mailoutbox):
    first = factories.CenterFactory(name="Red Thread Center")
    second = factories.CenterFactory(name="Common Cause Press")
    joiner = factories.PersonFactory(display_name="Jo Joiner")
    factories.CircleFactory(name="Harbour Nurses")
    newcomer = new_browsing()
    page = newcomer.new_page()

    # A new visitor signs up, and the confirmation e-mail arrives.
    page.goto("/accounts/signup/")
    page.fill("#id_email", "newcomer@example.org")
    page.fill("#id_password1", "a long and unusual passphrase")
    page.fill("#id_password2", "a long and unusual passphrase")
    submit(page, "#id_email")
    assert "/accounts/confirm-email/" in page.url
    messages = [m for m in mailoutbox if "newcomer@example.org" in m.to]
    assert len(messages) == 1, [m.subject for m in mailoutbox]
    assert messages[0].subject.startswith("[Fresh Ground]")

    # They open the link and confirm; that signs them in and sends them to their profile.
    page.goto(confirmation_path(messages[0].body))
    expect(page.get_by_text("newcomer@example.org")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    person = Person.objects.get(email="newcomer@example.org")
    assert person.emailaddress_set.get().verified

    # A pseudonym on the profile.
    page.goto("/settings/profile/")
    page.fill("#id_display_name", "Red Kestrel")
    submit(page, "#id_display_name")
    expect(page.locator(".account-nav")).to_contain_text("Red Kestrel")
    person.refresh_from_db()
    assert person.display_name == "Red Kestrel"

    # A new circle.
    page.goto("/circles/new/")
    page.fill("#id_name", "Canal Street Bakers")
    page.fill("#id_place_name", "Manchester")
    submit(page, "#id_name")
    circle = Circle.objects.get(name="Canal Street Bakers")
    assert page.url.endswith(f"/circles/{circle.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Canal Street Bakers")

    # Tied to two centers.
    for center in (first, second):
        page.goto(f"/circles/{circle.slug}/ties/new/")
        page.locator("#id_center").select_option(label=center.name)
        page.locator("main").get_by_label("Literature", exact=True).check()
        submit(page, "#id_center")
    assert set(Tie.objects.active().filter(circle=circle).values_list("center__name", flat=True)) == {
        first.name,
        second.name,
    }
    page.goto(f"/circles/{circle.slug}/")
    main = page.locator("main")
    expect(main.get_by_role("link", name=first.name, exact=True)).to_be_visible()
    expect(main.get_by_role("link", name=second.name, exact=True)).to_be_visible()

    # Someone else logs in, finds the circle in the directory by its name and joins it.
    other = new_browsing().new_page()
    log_in_with_the_form(other, joiner.email, factories.PASSWORD)
    other.goto("/circles/")
    directory = other.locator("main")
    expect(directory.get_by_role("link", name="Harbour Nurses", exact=True)).to_be_visible()
    # With scripts on, htmx may swap the results in place; either way the list ends up filtered.
    directory.locator("input[name=q]").fill("Canal Street")
    directory.locator("input[name=q]").press("Enter")
    expect(directory.get_by_role("link", name="Harbour Nurses", exact=True)).to_have_count(0)
    directory.get_by_role("link", name="Canal Street Bakers", exact=True).click()
    other.wait_for_url(f"**/circles/{circle.slug}/")
    other.locator("main").get_by_role("button", name=JOIN).click()
    expect(other.locator("main").get_by_role("button", name=LEAVE)).to_be_visible()
    assert Membership.objects.filter(circle=circle, person=joiner).exists()
    circle.refresh_from_db()
    assert circle.member_count == 2


def test_a_center_editor_sees_the_tie_but_not_the_members(cast, browsing):
    page = browsing.new_page()
    browsing.log_in_as(cast.editor)

    page.goto(f"/centers/{cast.center.slug}/")
    expect(page.locator("main").get_by_role("link", name=cast.circle.name, exact=True)).to_be_visible()

    page.goto(f"/circles/{cast.circle.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(cast.circle.name)
    expect(page.locator("main")).to_contain_text("The member list is for members of this circle only.")
    expect(page.locator("main")).not_to_contain_text(cast.member.display_name)

    response = page.goto(f"/circles/{cast.circle.slug}/members/")
    assert response is not None
    assert response.status in {403, 404} or cast.member.display_name not in page.locator("main").inner_text()


def test_a_member_does_see_the_member_list(cast, browsing):
    """The other side of the test above: the list is there for members, so its absence for editors means something."""
    page = browsing.new_page()
    browsing.log_in_as(cast.member)
    page.goto(f"/circles/{cast.circle.slug}/")
    members = page.locator("main section").filter(has=page.get_by_role("heading", name="Members", exact=True))
    expect(members.get_by_role("link", name=cast.member.display_name, exact=True)).to_be_visible()
    expect(members.get_by_role("link", name=cast.organiser.display_name, exact=True)).to_be_visible()
    page.goto(f"/circles/{cast.circle.slug}/members/")
    expect(page.locator("main")).to_contain_text(cast.member.display_name)


def test_join_and_leave_without_javascript(cast, new_browsing):
    browsing = new_browsing(java_script_enabled=False)
    page = browsing.new_page()
    browsing.log_in_as(cast.outsider)
    page.goto(f"/circles/{cast.circle.slug}/")

    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=JOIN).click()
    expect(page.locator("main").get_by_role("button", name=LEAVE)).to_be_visible()
    assert Membership.objects.filter(circle=cast.circle, person=cast.outsider).exists()

    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=LEAVE).click()
    expect(page.locator("main").get_by_role("button", name=JOIN)).to_be_visible()
    assert not Membership.objects.filter(circle=cast.circle, person=cast.outsider).exists()
