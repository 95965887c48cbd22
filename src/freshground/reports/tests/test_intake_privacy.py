"""What the server must never keep: no address, browser, referrer or cookie of a reporter reaches the database, the
logs, the cache or the stored files."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from freshground.people.services import create_api_token
from freshground.reports.models import Message, Report, ReportStatus
from freshground.reports.privacy import ADDRESS_PLACEHOLDER, ReporterLogFilter, is_reporter_path
from freshground.reports.tests.intake_support import (
    cheap_argon2_and_fresh_cache,
    jpeg_with_gps,
    needs_pillow,
    platform_desk,
    png_with_text,
)

__all__ = ["cheap_argon2_and_fresh_cache"]
pytestmark = pytest.mark.django_db(transaction=False)

ADDRESS = "198.51.100.173"
MARKERS = {
    "address": ADDRESS,
    "forwarded_for": "XFFMARKER4417",
    "forwarded_for_address": "203.0.113.219",
    "real_ip": "XREALIPMARKER2290",
    "forwarded": "FORWARDEDMARKER8812",
    "user_agent": "UAMARKER5531",
    "referer": "REFMARKER9904",
    "cookie": "COOKIEMARKER7768",
}
HEADERS = {
    "REMOTE_ADDR": ADDRESS,
    "HTTP_X_FORWARDED_FOR": f"{MARKERS['forwarded_for_address']}, {MARKERS['forwarded_for']}",
    "HTTP_X_REAL_IP": MARKERS["real_ip"],
    "HTTP_FORWARDED": f"for={MARKERS['forwarded']}",
    "HTTP_USER_AGENT": f"Mozilla/5.0 {MARKERS['user_agent']}",
    "HTTP_REFERER": f"https://news.example/{MARKERS['referer']}",
}


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.__dict__!r}")


@pytest.fixture
def everything_logged():
    handler = Everything()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.fixture
def files_on_disk(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
        "reports": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def marked_client(**kwargs) -> Client:
    client = Client(**kwargs)
    client.cookies["tracker"] = MARKERS["cookie"]
    client.cookies["_ga"] = f"GA1.{MARKERS['cookie']}"
    return client


def report_form(**extra):
    return {
        "mode": "anonymous",
        "title": "Locked fire exits",
        "place_kind": "workplace",
        "what_happened": "The fire exits were locked during the night shift.",
        "region": "Leeds",
        "desks": [str(platform_desk().pk)],
        **extra,
    }


def everything_stored(files_root: Path, handler: Everything, caplog) -> dict[str, str]:
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump, natural_foreign=False)
    cache_dump = repr(dict(getattr(cache, "_cache", {})))
    files = "".join(p.read_bytes().decode("latin-1") for p in files_root.rglob("*") if p.is_file())
    logs = "\n".join(handler.lines) + caplog.text
    return {"database": dump.getvalue(), "cache": cache_dump, "files": files, "logs": logs}


@needs_pillow
def test_no_marker_reaches_the_database_logs_cache_or_files(files_on_disk, everything_logged, caplog, cast):
    caplog.set_level(logging.DEBUG)
    client = marked_client()
    # Web: anonymous with a photo and a PNG, pseudonymous, then the inbox and an answer.
    page = client.post(
        "/reports/submit/",
        report_form(
            attachments=[SimpleUploadedFile("a.jpg", jpeg_with_gps()), SimpleUploadedFile("b.png", png_with_text())]
        ),
        **HEADERS,
    )
    assert page.status_code == 200
    phrase = page.content.decode().split("data-passphrase>")[1].split("<")[0].strip()
    client.post("/reports/submit/", report_form(mode="pseudonym"), **HEADERS)
    Message.objects.create(report=Report.objects.order_by("id").first(), desk=platform_desk(), body="Which door?")
    client.post("/reports/inbox/", {"passphrase": phrase}, **HEADERS)
    client.post("/reports/inbox/", {"passphrase": phrase, "action": "answer", "body": "The back door."}, **HEADERS)
    client.post("/reports/inbox/", {"passphrase": "wrong words " * 4}, **HEADERS)  # a failure, throttle counted
    client.get("/reports/inbox/", **HEADERS)
    client.get("/reports/no-such-page/xyz/", **HEADERS)  # a 404 that Django logs
    strict = marked_client(enforce_csrf_checks=True)
    strict.post("/reports/inbox/", {"passphrase": phrase}, **HEADERS)  # a CSRF refusal that Django logs
    # A signed-in member under their name.
    member = marked_client()
    member.force_login(cast.member)
    member.post("/reports/submit/", report_form(mode="member"), **HEADERS)
    member.get("/reports/mine/", **HEADERS)
    # The API: JSON and multipart submissions, the inbox and an answer.
    desk = platform_desk().pk
    answer = client.post(
        "/api/v1/reports/",
        {"title": "Wage theft", "place_kind": "workplace", "what_happened": "Tips kept.", "desks": [desk]},
        content_type="application/json",
        **HEADERS,
    )
    assert answer.status_code == 201, answer.content
    api_phrase = answer.json()["passphrase"]
    multipart = client.post(
        "/api/v1/reports/",
        {
            "title": "Heat",
            "place_kind": "workplace",
            "what_happened": "No water.",
            "desks": [desk],
            "attachments": [SimpleUploadedFile("c.jpg", jpeg_with_gps())],
        },
        **HEADERS,
    )
    assert multipart.status_code == 201, multipart.content
    client.post("/api/v1/reports/inbox", {"passphrase": api_phrase}, content_type="application/json", **HEADERS)
    client.post(
        "/api/v1/reports/inbox/answer",
        {"passphrase": api_phrase, "body": "More."},
        content_type="application/json",
        **HEADERS,
    )
    token = create_api_token(person=cast.member, name="cli")[1]
    by_token = client.post(
        "/api/v1/reports/",
        {"mode": "member", "title": "Mine", "place_kind": "school", "what_happened": "x", "desks": [desk]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        **HEADERS,
    )
    assert by_token.status_code == 201, by_token.content

    stored = everything_stored(files_on_disk, everything_logged, caplog)
    assert stored["files"], "the images were stored on disk"
    assert "Locked fire exits" in stored["database"], "the search sees the reports"
    for where, text in stored.items():
        for name, marker in MARKERS.items():
            assert marker not in text, f"the {name} marker reached the {where}"
    assert Session.objects.count() == 1  # the member's own login, nothing for the anonymous reporter


def test_the_search_would_find_a_marker_that_was_stored(files_on_disk, everything_logged, caplog):
    """The check above is not vacuous: a marker typed into a report is found in the dump."""
    client = marked_client()
    client.post("/reports/submit/", report_form(what_happened=f"Typed {MARKERS['user_agent']}"), **HEADERS)
    logging.getLogger("freshground.test").warning("seen %s", MARKERS["cookie"])
    stored = everything_stored(files_on_disk, everything_logged, caplog)
    assert MARKERS["user_agent"] in stored["database"]
    assert MARKERS["cookie"] in stored["logs"]


def test_views_see_no_address_browser_or_referrer(rf):
    from freshground.reports.privacy import ReporterPrivacyMiddleware

    seen = {}

    def view(request):
        seen.update(request.META)
        from django.http import HttpResponse

        return HttpResponse("ok")

    middleware = ReporterPrivacyMiddleware(view)
    request = rf.post("/reports/submit/", **HEADERS, HTTP_X_CLIENT_IP="10.1.2.3", HTTP_CF_CONNECTING_IP="10.9.9.9")
    response = middleware(request)
    assert seen["REMOTE_ADDR"] == ADDRESS_PLACEHOLDER
    for key in ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED", "HTTP_USER_AGENT", "HTTP_REFERER"):
        assert key not in seen
    assert "HTTP_X_CLIENT_IP" not in seen
    assert "HTTP_CF_CONNECTING_IP" not in seen
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_same_origin_referer_is_cut_to_the_origin_for_the_csrf_check(rf):
    from freshground.reports.privacy import scrub_request

    request = rf.post("/reports/inbox/", HTTP_REFERER="http://testserver/reports/inbox/?secret=1")
    scrub_request(request)
    assert request.META["HTTP_REFERER"] == "http://testserver/"


def test_other_paths_are_left_alone(rf):
    from freshground.reports.privacy import ReporterPrivacyMiddleware

    seen = {}

    def view(request):
        seen.update(request.META)
        from django.http import HttpResponse

        return HttpResponse("ok")

    ReporterPrivacyMiddleware(view)(rf.get("/circles/", HTTP_USER_AGENT="Firefox"))
    assert seen["HTTP_USER_AGENT"] == "Firefox"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/reports/", True),
        ("/reports", True),
        ("/reports/submit/", True),
        ("/inquiries/3/answer/", True),
        ("/api/v1/reports/inbox", True),
        ("/api/v1/inquiries/", True),
        ("/reportsx/", False),
        ("/circles/", False),
        ("/api/v1/circles/", False),
    ],
)
def test_reporter_paths(path, expected):
    assert is_reporter_path(path) is expected


def test_the_log_filter_drops_reporter_records_and_scrubs_addresses(rf):
    log_filter = ReporterLogFilter()
    about_report = logging.LogRecord("django.request", logging.WARNING, "x", 1, "Not Found: %s", ("/reports/x/",), None)
    about_report.request = rf.get("/reports/x/")
    assert log_filter.filter(about_report) is False
    access_line = logging.LogRecord(
        "gunicorn.access", logging.INFO, "x", 1, '"POST /reports/submit/ HTTP/1.1"', (), None
    )
    assert log_filter.filter(access_line) is False
    other = logging.LogRecord("x", logging.ERROR, "x", 1, "failed for %s on %s", ("203.0.113.9", "/circles/"), None)
    other.request = rf.get("/circles/", HTTP_USER_AGENT="UA", HTTP_COOKIE="sessionid=abc")
    clean = log_filter.filter(other)
    assert isinstance(clean, logging.LogRecord)
    assert "203.0.113.9" not in clean.getMessage()
    assert "HTTP_USER_AGENT" not in clean.request.META
    assert "HTTP_COOKIE" not in clean.request.META
    assert clean.request.path == "/circles/"
    # The original record, which other handlers receive, is untouched.
    assert "203.0.113.9" in other.getMessage()
    assert other.request.META["HTTP_USER_AGENT"] == "UA"
    plain = logging.LogRecord("x", logging.INFO, "x", 1, "nothing to hide", (), None)
    assert log_filter.filter(plain) is True


def test_report_rows_keep_day_level_dates_only():
    from django.db import models

    from freshground.reports.models import Attachment, Message, Report, Version

    for model in (Report, Message, Version, Attachment):
        for field in model._meta.get_fields():
            assert not isinstance(field, models.DateTimeField), f"{model.__name__}.{field.name}"


def test_status_after_a_reviewers_question_and_the_answer(client):
    from freshground.reports.tests.intake_support import submit

    done = submit()
    Message.objects.create(report=done.report, body="?")
    done.report.status = ReportStatus.AWAITING_REPORTER
    done.report.save()
    client.post("/reports/inbox/", {"passphrase": done.passphrase, "action": "answer", "body": "!"})
    done.report.refresh_from_db()
    assert done.report.status == ReportStatus.IN_REVIEW
