"""Accessibility in a real browser: axe-core finds no serious or critical problem, and the keyboard works."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from browser_support import AXE
from django.utils import timezone
from playwright.sync_api import expect

from freshground.debate import services_comments as comment_services
from freshground.debate import services_debates as debate_services
from freshground.events import services as event_services
from freshground.events import services_hosts
from freshground.moderation import services as moderation_services
from freshground.speakers import services as speaker_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (name, path with {circle}/{center}/{event}/{debate} slugs and {member}/{speaker} ids, who is signed in: None or a
# cast role).
PAGES = [
    ("home", "/", None),
    ("home-signed-in", "/", "member"),
    ("circle-directory", "/circles/", None),
    ("circle", "/circles/{circle}/", None),
    ("circle-as-organiser", "/circles/{circle}/", "organiser"),
    ("circle-members", "/circles/{circle}/members/", "member"),
    ("center-directory", "/centers/", None),
    ("center", "/centers/{center}/", None),
    ("login", "/accounts/login/", None),
    ("signup", "/accounts/signup/", None),
    ("profile-edit", "/settings/profile/", "member"),
    ("profile", "/people/{member}/", "outsider"),
    ("events-list", "/events/", None),
    ("events-month", "/events/month/", None),
    ("events-week", "/events/week/", "member"),
    ("event", "/events/{event}/", None),
    ("event-as-organiser", "/events/{event}/", "organiser"),
    ("event-create", "/events/new/", "organiser"),
    ("speaker-roster", "/speakers/", None),
    ("speaker", "/speakers/{speaker}/", None),
    ("debates-list", "/debates/", None),
    ("debate", "/debates/{debate}/", None),
    ("debate-signed-in", "/debates/{debate}/", "member"),
    ("debate-as-moderator", "/debates/{debate}/", "organiser"),
    ("debate-create", "/debates/new/", "member"),
    ("reports-published", "/reports/", None),
    ("inquiries", "/inquiries/", None),
    ("notifications-with-debate", "/notifications/", "member"),
    ("moderation-queue-with-debate", "/moderation/queue/", "admin"),
    ("circle-moderation-queue-with-debate", "/moderation/circle/{circle}/queue/", "organiser"),
    ("code-of-conduct", "/code-of-conduct/", None),
    ("unity-index", "/unity/", None),
    ("unity-create", "/unity/new/", "member"),
    ("journal-front", "/journal/", None),
    ("journal-search", "/journal/search/?q=strike", None),
    ("journal-sources", "/journal/sources/", None),
    ("journal-source-propose", "/journal/sources/new/", "member"),
    ("journal-topics", "/journal/topics/", None),
    ("journal-write", "/journal/write/", "member"),
    ("journal-share", "/journal/share/", "member"),
    ("campaigns-board", "/campaigns/", None),
    ("campaigns-progress", "/campaigns/progress/", None),
    ("campaign-create", "/campaigns/new/", "organiser"),
    ("decisions-list", "/decisions/", None),
    ("decision-create", "/decisions/new/?circle={circle}", "organiser"),
]
BLOCKING = {"serious", "critical"}


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        lines.extend(f"    {node['target']}: {node['html'][:160]}" for node in violation["nodes"][:5])
    return "\n".join(lines)


def _an_event(cast) -> str:
    """A limited, promoted event of the cast's circle, soon enough to be in this week's and month's views."""
    starts = timezone.now() + timedelta(hours=1)
    event = event_services.create_event(
        person=cast.organiser,
        host_circle=cast.circle,
        title="Staffing levels: what we do next",
        description="Open to every grade. **Bring your rota.**",
        kind="public_meeting",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        time_zone="Europe/London",
        venue_name="Infirmary social club",
        address="Great George St, Leeds",
        address_for_registered_only=True,
        place_name="Leeds",
        step_free=True,
        hearing_loop=True,
        registration_mode="limited",
        capacity=30,
        topics=["health"],
    )
    services_hosts.promote(person=cast.editor, event=event, center=cast.center)
    return event.slug


def _a_speaker(cast) -> int:
    speaker = speaker_services.create_speaker(
        person=cast.member,
        name="Sam Speaker",
        bio="Organiser, writer, tenant.",
        topics=["housing"],
        talks=[{"title": "Rent strikes that won", "abstract": "Stories from three cities."}],
        languages=["en"],
        place_name="Leeds",
        latitude=53.80,
        longitude=-1.55,
        regions=["North of England"],
        availability=[(timezone.localdate(), timezone.localdate() + timedelta(days=30))],
    )
    return speaker.pk


def _a_debate(cast) -> str:
    """An open debate of the cast's circle with arguments, a convincing mark, a reply thread and a pending flag."""
    debate = debate_services.create_debate(
        person=cast.organiser,
        circle=cast.circle,
        question="Should we run one joint rent campaign?",
        opening_statement="Both of us face the **same landlords**.\n\nDo we fight together?",
        positions=["One joint campaign", "Separate campaigns that coordinate"],
        topics=["housing"],
    )
    position = debate.positions.order_by("pk").first()
    argument = debate_services.add_argument(
        person=cast.member,
        position=position,
        side="for",
        body="One demand they cannot split.",
        shown_circles=[cast.circle],
    )
    debate_services.add_argument(
        person=cast.outsider, position=position, side="against", body="Students leave in June."
    )
    debate_services.set_convincing(person=cast.outsider, argument=argument)
    comment = comment_services.post_comment(author=cast.outsider, target=debate, body="Anyone who disagrees is a fool.")
    comment_services.post_comment(author=cast.member, target=debate, parent=comment, body="Memory is a choice.")
    moderation_services.flag(actor=cast.member, label="debate.comment", object_id=comment.pk, category="abuse")
    return debate.slug


@pytest.mark.parametrize(("name", "path", "role"), PAGES, ids=[page[0] for page in PAGES])
def test_axe_finds_no_serious_problems(cast, new_browsing, name, path, role):
    # axe is injected as a script, which the site's Content Security Policy rightly forbids: bypass it here only.
    browsing = new_browsing(bypass_csp=True)
    if role:
        browsing.log_in_as(getattr(cast, role))
    page = browsing.new_page()
    event = _an_event(cast) if "event" in name or name.startswith("events-") else ""
    speaker = _a_speaker(cast) if name.startswith("speaker") else ""
    debate = _a_debate(cast) if name == "debate" or name.startswith("debate-") or name.endswith("-with-debate") else ""
    url = path.format(
        circle=cast.circle.slug,
        center=cast.center.slug,
        member=cast.member.pk,
        event=event,
        speaker=speaker,
        debate=debate,
    )
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, f"{url} answered {response.status}"
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: JSON.stringify(n.target), html: n.html})),
            }));
        }"""
    )
    blocking = [v for v in results if v["impact"] in BLOCKING]
    others = [v for v in results if v["impact"] not in BLOCKING]
    if others:
        print(f"axe on {url}, minor or moderate:\n{_describe(others)}")  # noqa: T201 - shown with -rA in CI logs
    assert not blocking, f"axe on {url}:\n{_describe(blocking)}\n{json.dumps([v['id'] for v in results])}"


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(cast, browser_page):
    page = browser_page
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("href", "#main")
    expect(focused).to_have_text("Skip to content")
    box = focused.bounding_box()
    viewport = page.viewport_size
    assert box is not None
    assert viewport is not None
    assert box["width"] > 1, "the focused skip link must be visible"
    assert box["height"] > 1, "the focused skip link must be visible"
    assert 0 <= box["x"] < viewport["width"], "the focused skip link must be on screen"
    assert 0 <= box["y"] < viewport["height"], "the focused skip link must be on screen"

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab stop is inside main, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
