"""Accessibility in a real browser: axe-core finds no serious or critical problem, and the keyboard works."""

from __future__ import annotations

import json

import pytest
from browser_support import AXE
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (name, path with {circle} and {center} slugs, who is signed in: None or a cast role).
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
]
BLOCKING = {"serious", "critical"}


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        lines.extend(f"    {node['target']}: {node['html'][:160]}" for node in violation["nodes"][:5])
    return "\n".join(lines)


@pytest.mark.parametrize(("name", "path", "role"), PAGES, ids=[page[0] for page in PAGES])
def test_axe_finds_no_serious_problems(cast, new_browsing, name, path, role):
    # axe is injected as a script, which the site's Content Security Policy rightly forbids: bypass it here only.
    browsing = new_browsing(bypass_csp=True)
    if role:
        browsing.log_in_as(getattr(cast, role))
    page = browsing.new_page()
    url = path.format(circle=cast.circle.slug, center=cast.center.slug, member=cast.member.pk)
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
