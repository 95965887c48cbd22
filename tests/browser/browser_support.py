"""What the browser tests share: a recording browser context, form submission, page checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TIMEOUT_MS = 15_000


@dataclass
class Browsing:
    """A browser context on the live server that records what the console and the network complained about."""

    context: Any
    base_url: str
    problems: list[str] = field(default_factory=list)

    def new_page(self) -> Any:
        page = self.context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("response", self._response)
        return page

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 500:
            self.problems.append(f"{response.status} from {response.url}")

    def log_in_as(self, person: Any) -> None:
        """Sign in without the form: a session made by Django's test client, handed to the browser."""
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.base_url}])


def submit(page: Any, form_field: str) -> None:
    """Press the submit button of the form in <main> that holds `form_field` and wait for the next page."""
    form = page.locator("main form").filter(has=page.locator(form_field)).first
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").first.click()


def confirmation_path(body: str) -> str:
    match = re.search(r"(/accounts/confirm-email/[^\s\"'<>]+)", body)
    assert match, f"no confirmation link in the e-mail:\n{body}"
    return match.group(1)
