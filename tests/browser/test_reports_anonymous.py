"""The anonymous reporter's whole journey in Chromium with JavaScript off: send a report with a photo, get the
passphrase, come back later in a fresh browser with nothing but the passphrase, read a reviewer's question and answer
it. No session is ever made for the reporter."""

from __future__ import annotations

import io

import pytest
from browser_support import AXE, submit
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from freshground.reports.models import Attachment, Desk, Message, Report, ReportStatus, Version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo_with_gps(path):
    Image = pytest.importorskip("PIL.Image", reason="Pillow is not installed")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 30.0, 2.5)
    Image.new("RGB", (80, 60), (120, 20, 20)).save(path, format="JPEG", exif=exif)
    return path


@pytest.fixture
def cheap_argon2(settings):
    settings.REPORTS_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


def test_anonymous_report_passphrase_and_answer_without_javascript(new_browsing, tmp_path, cheap_argon2):
    desk = Desk.objects.create(name="Platform editors")
    browsing = new_browsing(java_script_enabled=False)
    page = browsing.new_page()
    response = page.goto("/reports/submit/")
    assert response.headers["cache-control"] == "no-store"
    expect(page.get_by_label("Anonymously", exact=False)).to_be_checked()
    page.get_by_label("Title").fill("Locked fire exits on nights")
    page.get_by_label("What kind of place?").select_option("workplace")
    page.get_by_label("City or region (optional)").fill("Leeds")
    page.get_by_label("What happened?").fill("The fire exits were chained shut during the night shift.")
    page.get_by_label("This was a win others can learn from").check()
    page.get_by_label(f"The platform's editors ({desk.name})").check()
    page.get_by_label("Pictures or documents (optional)").set_input_files(str(photo_with_gps(tmp_path / "me.jpg")))
    submit(page, "#id_title")

    expect(page.locator("h1")).to_have_text("Your report was sent")
    phrase = page.locator("[data-passphrase]").inner_text().strip()
    assert len(phrase.split()) >= 7
    report = Report.objects.get()
    assert report.author is None
    assert report.is_win
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as stored:
        from PIL import Image

        assert not Image.open(io.BytesIO(stored.read())).getexif()

    # A reviewer asks a question (reports-desk's services need a reviewer with two-factor auth: the row is enough).
    Message.objects.create(report=report, desk=desk, body="Which door was chained?")
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.AWAITING_REPORTER)

    # Later, in a fresh browser with nothing but the passphrase written down.
    later = new_browsing(java_script_enabled=False).new_page()
    later.goto("/reports/inbox/")
    later.get_by_label("Your passphrase").fill("  " + phrase.upper() + " ")
    submit(later, "#id_passphrase")
    main = later.locator("main")
    expect(main).to_contain_text("Which door was chained?")
    expect(main).to_contain_text("waiting for the reporter")
    later.get_by_label("Your answer").fill("The one by the loading bay.")
    submit(later, "#id_body")
    expect(main).to_contain_text("Your answer was sent to the reviewers.")
    expect(main).to_contain_text("The one by the loading bay.")

    answer = Message.objects.get(from_reporter=True)
    assert answer.body == "The one by the loading bay."
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_REVIEW
    assert Session.objects.count() == 0


def test_a_wrong_passphrase_says_nothing_about_any_report(new_browsing, cheap_argon2):
    page = new_browsing(java_script_enabled=False).new_page()
    page.goto("/reports/inbox/")
    page.get_by_label("Your passphrase").fill("these seven words open no report at all")
    submit(page, "#id_passphrase")
    expect(page.locator("main [role=alert]")).to_contain_text("No report opens with this passphrase")


def _axe_problems(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.html.slice(0, 120))}))"""
    )
    return [
        f"[{v['impact']}] {v['id']}: {v['nodes'][:3]}" for v in violations if v["impact"] in ("serious", "critical")
    ]


def test_the_reporters_pages_have_no_serious_accessibility_problems(new_browsing, cheap_argon2):
    desk = Desk.objects.create(name="Platform editors")
    # axe is injected as a script, which the site's Content Security Policy rightly forbids: bypass it here only.
    page = new_browsing(bypass_csp=True).new_page()
    page.goto("/reports/submit/")
    assert not _axe_problems(page)
    page.get_by_label("Title").fill("Heat in the warehouse")
    page.get_by_label("What happened?").fill("No water on the hottest days.")
    page.get_by_label(f"The platform's editors ({desk.name})").check()
    submit(page, "#id_title")
    assert not _axe_problems(page)
    phrase = page.locator("[data-passphrase]").inner_text().strip()
    report = Report.objects.get()
    Message.objects.create(report=report, desk=desk, body="How hot?")
    Version.objects.create(report=report, number=1, title="Heat", what_happened="No water.", note="Shortened.")
    page.goto("/reports/inbox/")
    assert not _axe_problems(page)
    page.get_by_label("Your passphrase").fill(phrase)
    submit(page, "#id_passphrase")
    expect(page.locator("main")).to_contain_text("How hot?")
    assert not _axe_problems(page)
