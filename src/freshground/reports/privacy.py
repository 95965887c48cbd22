"""What keeps a reporter unidentifiable: a middleware that strips identifying request data on reporters' pages and a
logging filter.

On every path under `REPORTER_PREFIXES` (report submission, the passphrase inbox, the desks' pages, inquiries and their
API), before any other middleware, view, logger or error reporter sees the request:
- REMOTE_ADDR becomes the stand-in "0.0.0.0"; X-Forwarded-For, X-Real-IP, Forwarded and the other client-address
  headers proxies add are removed;
- User-Agent is removed;
- Referer is removed, except that a same-origin Referer is cut down to the site's own origin ("https://host/"), which
  tells nothing and keeps Django's CSRF check working for browsers that send no Origin header;
- cookies stay readable (a signed-in member's session and the CSRF token need them) but no code here stores, logs or
  echoes them: the logging filter drops every record about these paths.
Responses on these paths get `Cache-Control: no-store` and `Referrer-Policy: same-origin`. Not "no-referrer": under
that policy browsers send `Origin: null` with a page's own form posts and Django's CSRF check refuses every one of
them; "same-origin" sends nothing at all to other sites, which is what protects the reporter.

Sessions: reporters' views never write to the session, so an anonymous visitor never gets a session row.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from freshground.core.exceptions import DomainError
from freshground.reports import throttle

REPORTER_PREFIXES = ("/reports/", "/inquiries/", "/api/v1/reports/", "/api/v1/inquiries/")
ADDRESS_PLACEHOLDER = "0.0.0.0"  # noqa: S104 (not a bind address: what views see instead of the reporter's)
# Headers (as request.META keys) that carry the client's address, browser or origin page.
REMOVED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_X_CLIENT_IP",
    "HTTP_X_CLUSTER_CLIENT_IP",
    "HTTP_CLIENT_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_FASTLY_CLIENT_IP",
    "HTTP_X_ORIGINAL_FORWARDED_FOR",
    "HTTP_VIA",
    "HTTP_USER_AGENT",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_MOBILE",
    "HTTP_SEC_CH_UA_PLATFORM",
    "HTTP_FROM",
    "REMOTE_HOST",
)


def is_reporter_path(path: str) -> bool:
    return path.startswith(REPORTER_PREFIXES) or path.rstrip("/") + "/" in REPORTER_PREFIXES


def _same_origin_referer(request: HttpRequest, referer: str) -> str | None:
    try:
        parts = urlsplit(referer)
        host = request.get_host()
    except Exception:  # DisallowedHost and malformed URLs: drop the Referer
        return None
    if parts.scheme in ("http", "https") and parts.netloc == host:
        return f"{parts.scheme}://{host}/"
    return None


def scrub_request(request: HttpRequest) -> None:
    """Remove what identifies the reporter from request.META, in place. What stays for rate limiting is a keyed
    hash of the address for the current short window only (see reports.throttle), kept on the request object."""
    meta = request.META
    request.reporter_throttle_key = throttle.key("submit-address", str(meta.get("REMOTE_ADDR", "")))  # type: ignore[attr-defined]
    meta["REMOTE_ADDR"] = ADDRESS_PLACEHOLDER
    for key in REMOVED_HEADERS:
        meta.pop(key, None)
    referer = meta.pop("HTTP_REFERER", None)
    if referer:
        kept = _same_origin_referer(request, str(referer))
        if kept:
            meta["HTTP_REFERER"] = kept


# Submissions per address and overall in each reports.throttle.WINDOW; settings.FRESHGROUND["REPORT_SUBMISSION_LIMITS"]
# overrides them ((per address, overall), or None for no limit).
DEFAULT_SUBMISSION_LIMITS = (5, 300)


class TooManySubmissions(DomainError):
    status_code = 429

    def __init__(self) -> None:
        super().__init__(
            str(
                _(
                    "Too many reports or answers were sent from here in the last few minutes. Nothing was saved: "
                    "wait ten minutes and send it again."
                )
            )
        )


def submission_keys(request: HttpRequest) -> dict[str, int]:
    limits = getattr(settings, "FRESHGROUND", {}).get("REPORT_SUBMISSION_LIMITS", DEFAULT_SUBMISSION_LIMITS)
    if limits is None:
        return {}
    per_address, overall = limits
    keys = {throttle.key("submit-all", ""): overall}
    address_key = getattr(request, "reporter_throttle_key", None)
    if address_key:
        keys[address_key] = per_address
    return keys


def check_submission_rate(request: HttpRequest) -> dict[str, int]:
    """Refuse a submission over the limits (TooManySubmissions); returns the counters to bump once it is saved."""
    keys = submission_keys(request)
    if throttle.reached(keys):
        raise TooManySubmissions()
    return keys


class ReporterPrivacyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_reporter_path(request.path):
            return self.get_response(request)
        scrub_request(request)
        response = self.get_response(request)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.pop("Expires", None)
        return response


_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_IPV6 = re.compile(r"\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{1,4}\b")


class ReporterLogFilter(logging.Filter):
    """Drops every log record about a reporter's path; scrubs addresses from records about anything else."""

    def filter(self, record: logging.LogRecord) -> bool | logging.LogRecord:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str) and is_reporter_path(path):
            return False
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments don't format: leave it to the handler
            return True
        if any(prefix in message for prefix in REPORTER_PREFIXES):
            return False
        scrubbed = _IPV6.sub("[address]", _IPV4.sub("[address]", message))
        has_request = request is not None and hasattr(request, "META")
        if scrubbed == message and not has_request:
            return True
        # A copy for this handler only (Python 3.12+): other handlers and the caller's record stay as they were.
        clean = copy.copy(record)
        if scrubbed != message:
            clean.msg, clean.args = scrubbed, None
        if has_request:
            # Error mails and handlers that format the request: never the reporter-ish headers or cookies.
            clean.request = _ScrubbedRequestProxy(request)
        return clean


class _ScrubbedRequestProxy:
    """The record's request with the address, browser and referrer left out of META (the real request is untouched)."""

    def __init__(self, request: Any) -> None:
        self._request = request
        meta = dict(request.META)
        meta["REMOTE_ADDR"] = ADDRESS_PLACEHOLDER
        for key in (*REMOVED_HEADERS, "HTTP_REFERER", "HTTP_COOKIE"):
            meta.pop(key, None)
        self.META = meta

    def __getattr__(self, name: str) -> object:
        return getattr(self._request, name)
