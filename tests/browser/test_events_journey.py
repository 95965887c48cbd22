"""Issue 3's acceptance story in a real browser: an event co-hosted, promoted, found, registered for, and fed.

A circle organiser puts on a limited event through the form and invites another circle to co-host it, whose
organiser accepts; a center editor promotes it; an anonymous visitor finds it in the calendar by its city,
registers as a guest and confirms through the mailed link; a second person joins the waiting list and moves up
when the guest cancels; the circle's iCalendar feed holds the event.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from browser_support import submit
from django.utils import timezone
from playwright.sync_api import expect

from freshground.events import services
from freshground.events.models import Event, EventHost, HostStatus, Promotion, Registration, RegistrationStatus
from freshground.network.models import Role
from freshground.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")
TITLE = "Rent strikes that won: a public talk"


def log_in_with_the_form(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    submit(page, "#id_login")
    expect(page.locator(".account-nav")).to_contain_text("Log out")


def mails_to(mailoutbox, address: str) -> list:
    return [message for message in mailoutbox if address in message.to]


def guest_path(body: str) -> str:
    match = re.search(r"(/events/mine/guest/[^\s\"'<>/]+/)", body)
    assert match, f"no link to the guest's registration in the e-mail:\n{body}"
    return match.group(1)


def test_an_event_co_hosted_promoted_found_registered_for_and_in_the_feed(new_browsing, mailoutbox):
    organiser = factories.PersonFactory(display_name="Olga Organiser", time_zone="Europe/London")
    circle = factories.CircleFactory(name="Leeds Tenants Union", place_name="Leeds")
    factories.add_member(circle, organiser, Role.ORGANISER)
    partner = factories.PersonFactory(display_name="Pat Partner")
    cohost = factories.CircleFactory(name="Hyde Park Students", place_name="Leeds")
    factories.add_member(cohost, partner, Role.ORGANISER)
    editor = factories.PersonFactory(display_name="Edie Editor")
    center = factories.CenterFactory(name="Red Thread Center")
    factories.add_editor(center, editor)
    waiting = factories.PersonFactory(display_name="Wren Waiting")
    # Another city's event, which the visitor's city filter must leave out.
    elsewhere = factories.CircleFactory(name="Glasgow Warehouse Circle", place_name="Glasgow")
    glaswegian = factories.PersonFactory(display_name="Gus Glasgow")
    factories.add_member(elsewhere, glaswegian, Role.ORGANISER)
    day = timezone.localdate() + timedelta(days=5)
    services.create_event(
        person=glaswegian,
        host_circle=elsewhere,
        title="Heat in the sheds",
        starts_at=datetime.combine(day, time(18, 0), tzinfo=LONDON),
        ends_at=datetime.combine(day, time(20, 0), tzinfo=LONDON),
        time_zone="Europe/London",
        venue_name="Hillington Park gate 3",
        place_name="Glasgow",
    )

    # The organiser signs in through the form and puts the event on through /events/new/: one place, so the
    # second person to register waits.
    page = new_browsing().new_page()
    log_in_with_the_form(page, organiser.email, factories.PASSWORD)
    page.goto("/events/new/")
    page.locator("#id_host").select_option(label=circle.name)
    page.fill("#id_title", TITLE)
    page.fill("#id_description", "Three cities, three **wins**.")
    page.locator("#id_kind").select_option("talk")
    page.fill("#id_starts_at", f"{day.isoformat()}T19:00")
    page.fill("#id_ends_at", f"{day.isoformat()}T21:00")
    page.locator("#id_time_zone").select_option("Europe/London")
    page.locator("main").get_by_label("In person", exact=True).check()
    page.fill("#id_venue_name", "Chapeltown Community Centre")
    page.fill("#id_address", "Reginald Terrace, Leeds LS7 3EX")
    page.locator("#id_address_for_registered_only").check()
    page.fill("#id_place_name", "Leeds")
    page.locator("#id_step_free").check()
    page.locator("#id_registration_mode").select_option("limited")
    page.fill("#id_capacity", "1")
    submit(page, "#id_title")
    event = Event.objects.get(title=TITLE)
    assert page.url.endswith(f"/events/{event.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert (event.capacity, event.registration_mode, event.place_name) == (1, "limited", "Leeds")
    assert event.address_for_registered_only
    assert event.starts_at == datetime.combine(day, time(19, 0), tzinfo=LONDON)

    # They invite the other circle to co-host.
    page.locator("main").get_by_role("link", name="Co-hosts", exact=True).click()
    page.wait_for_url(f"**/events/{event.slug}/cohosts/")
    page.locator("#id_kind").select_option("circle")
    page.fill("#id_slug", cohost.slug)
    submit(page, "#id_slug")
    pending = page.locator("main section").filter(has=page.get_by_role("heading", name="Waiting for an answer"))
    expect(pending).to_contain_text(cohost.name)
    host = EventHost.objects.get(event=event, circle=cohost)
    assert host.status == HostStatus.PENDING

    # The other circle's organiser, in their own browser, accepts on the event's page.
    partner_page = new_browsing().new_page()
    log_in_with_the_form(partner_page, partner.email, factories.PASSWORD)
    partner_page.goto(f"/events/{event.slug}/")
    invitation = partner_page.locator("main section").filter(
        has=partner_page.get_by_role("heading", name="Invitation to co-host")
    )
    expect(invitation).to_contain_text(cohost.name)
    with partner_page.expect_navigation():
        invitation.get_by_role("button", name="Accept", exact=True).click()
    host.refresh_from_db()
    assert host.status == HostStatus.ACCEPTED
    hosted_by = partner_page.locator("main header").filter(has_text="Hosted by")
    expect(hosted_by.get_by_role("link", name=circle.name, exact=True)).to_be_visible()
    expect(hosted_by.get_by_role("link", name=cohost.name, exact=True)).to_be_visible()

    # A center editor promotes it to the center's followers; the hosts see who promotes it.
    editor_browsing = new_browsing()
    editor_browsing.log_in_as(editor)
    editor_page = editor_browsing.new_page()
    editor_page.goto(f"/events/{event.slug}/")
    editor_page.locator("#promote-group").select_option(label=center.name)
    with editor_page.expect_navigation():
        editor_page.locator("main").get_by_role("button", name="Promote", exact=True).click()
    assert Promotion.objects.filter(event=event, center=center).exists()
    page.goto(f"/events/{event.slug}/")
    promoters = page.locator("main section").filter(has=page.get_by_role("heading", name="Promoted by"))
    expect(promoters.get_by_role("link", name=center.name, exact=True)).to_be_visible()

    # An anonymous visitor finds it in the calendar by its city; the Glasgow event is filtered out.
    visitor = new_browsing().new_page()
    visitor.goto("/events/")
    calendar = visitor.locator("main")
    expect(calendar.get_by_role("link", name=re.compile("Heat in the sheds"))).to_be_visible()
    calendar.get_by_label("City or place").fill("Leeds")
    calendar.get_by_role("button", name="Show events").click()
    expect(calendar.get_by_role("link", name=re.compile("Heat in the sheds"))).to_have_count(0)
    visitor.wait_for_url(re.compile(r"place=Leeds"))
    calendar.get_by_role("link", name=re.compile(re.escape(TITLE))).click()
    visitor.wait_for_url(f"**/events/{event.slug}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.locator("main")).not_to_contain_text("Reginald Terrace")

    # They register as a guest with only a name and an e-mail address, and the confirmation e-mail arrives.
    box = visitor.locator("#registration-box")
    expect(box).to_contain_text("1 place left.")
    box.get_by_label("Your name").fill("Gina Guest")
    box.get_by_label("Your e-mail address").fill("gina@example.org")
    box.get_by_role("button", name="Register", exact=True).click()
    expect(visitor.locator("#registration-box")).to_contain_text("we have sent you an e-mail")
    guest_mails = mails_to(mailoutbox, "gina@example.org")
    assert len(guest_mails) == 1, [m.subject for m in mailoutbox]
    registration = Registration.objects.get(event=event, guest_email="gina@example.org")
    assert registration.status == RegistrationStatus.UNCONFIRMED

    # They open the link and confirm: the place is theirs, with a code for the door and the exact address.
    link = guest_path(guest_mails[0].body)
    visitor.goto(link)
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Confirm my registration").click()
    expect(visitor.locator("main")).to_contain_text("Your place is confirmed.")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    expect(visitor.locator("main .registration-code")).to_have_text(registration.code)
    expect(visitor.locator("main")).to_contain_text("Reginald Terrace")
    assert len(mails_to(mailoutbox, "gina@example.org")) == 2

    # The event is full now: a second person, signed in, joins the waiting list.
    waiting_browsing = new_browsing()
    waiting_browsing.log_in_as(waiting)
    waiting_page = waiting_browsing.new_page()
    waiting_page.goto(f"/events/{event.slug}/")
    waiting_box = waiting_page.locator("#registration-box")
    expect(waiting_box).to_contain_text("Full")
    waiting_box.get_by_role("button", name="Join the waiting list").click()
    expect(waiting_page.locator("#registration-box")).to_contain_text("You are on the waiting list.")
    second = Registration.objects.get(event=event, person=waiting)
    assert second.status == RegistrationStatus.WAITLISTED
    assert len(mails_to(mailoutbox, waiting.email)) == 1

    # The guest cancels through their link; the place goes to the person waiting, who is told by e-mail.
    visitor.goto(link)
    visitor.locator("main").get_by_role("link", name="Cancel my registration").click()
    visitor.wait_for_url(f"**{link}cancel/")
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Yes, cancel it").click()
    expect(visitor.locator("main")).to_contain_text("Your registration is cancelled.")
    registration.refresh_from_db()
    second.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert second.status == RegistrationStatus.CONFIRMED
    moved_up = mails_to(mailoutbox, waiting.email)
    assert len(moved_up) == 2, [m.subject for m in moved_up]
    assert moved_up[-1].subject == f"[Fresh Ground] A place came free for you: {TITLE}"
    assert second.code in moved_up[-1].body
    waiting_page.reload()
    expect(waiting_page.locator("#registration-box")).to_contain_text("You are registered.")
    event.refresh_from_db()
    assert (event.registered_count, event.waitlist_count) == (1, 0)

    # The circle's iCalendar feed holds the event, and so does the co-host's.
    for group in (circle, cohost):
        response = visitor.request.get(f"/circles/{group.slug}/events.ics")
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/calendar")
        feed = icalendar.Calendar.from_ical(response.body())
        entries = {str(entry["SUMMARY"]): entry for entry in feed.walk("VEVENT")}
        assert TITLE in entries, sorted(entries)
        assert "Heat in the sheds" not in entries
        assert entries[TITLE].decoded("DTSTART") == event.starts_at
        assert "Reginald Terrace" not in response.text()
