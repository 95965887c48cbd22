"""Headless Chromium through Playwright's sync API against pytest-django's live server.

Our own fixtures, not pytest-playwright's, so that no browser is ever downloaded: the system's /usr/bin/chromium is
launched. Without it every browser test is skipped with the reason; CI installs it, so CI runs them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import Browsing

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to work next to it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed: browser tests need the system Chromium (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_browsing(chromium_browser: Any, live_server: Any) -> Iterator[Callable[..., Browsing]]:
    """Make browser contexts (`java_script_enabled=False`, `bypass_csp=True`, …); each is closed afterwards.

    Any 5xx answer, uncaught script error or console error (a CSP violation, say) fails the test.
    """
    made: list[Browsing] = []

    def make(**options: Any) -> Browsing:
        context = chromium_browser.new_context(base_url=live_server.url, locale="en-GB", **options)
        browsing = Browsing(context=context, base_url=live_server.url)
        made.append(browsing)
        return browsing

    yield make
    problems = list(dict.fromkeys(problem for browsing in made for problem in browsing.problems))
    for browsing in made:
        browsing.context.close()
    assert not problems, "the browser saw problems:\n" + "\n".join(problems)


@pytest.fixture
def browsing(new_browsing: Callable[..., Browsing]) -> Browsing:
    return new_browsing()


@pytest.fixture
def browser_page(browsing: Browsing) -> Any:
    """A page with JavaScript on and the site's Content Security Policy enforced."""
    return browsing.new_page()
