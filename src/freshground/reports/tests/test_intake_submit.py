from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from freshground.reports import passphrase
from freshground.reports.models import Attachment, AttachmentKind, Desk, Mode, Report, ReportStatus
from freshground.reports.tests.intake_support import (
    assert_no_metadata,
    cheap_argon2_and_fresh_cache,
    jpeg_with_gps,
    needs_pillow,
    platform_desk,
    png_with_text,
)

__all__ = ["cheap_argon2_and_fresh_cache"]
pytestmark = pytest.mark.django_db
SUBMIT = "/reports/submit/"


def form_data(**overrides):
    data = {
        "mode": "anonymous",
        "title": "Unpaid overtime at the depot",
        "place_kind": "workplace",
        "sector": "H",
        "sector_detail": "parcel delivery",
        "region": "Leeds",
        "place_size": "50-249",
        "what_happened": "Managers kept us an hour after every shift.",
        "what_we_did": "We refused together.",
        "outcome": "Paid overtime since March.",
        "is_win": "on",
        "desks": [str(platform_desk().pk)],
    }
    data.update(overrides)
    return data


def test_url_names():
    assert reverse("reports:submit") == SUBMIT
    assert reverse("reports:inbox") == "/reports/inbox/"
    assert reverse("reports:mine") == "/reports/mine/"


def test_the_form_asks_no_name_email_or_phone_of_anonymous_reporters(client):
    platform_desk()
    page = client.get(SUBMIT)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    for field in ("email", "phone", "tel", "display_name"):
        assert f'name="{field}"' not in html
    assert 'value="member"' not in html  # only signed-in members may report under their name
    assert "The platform" in html
    assert page["Cache-Control"] == "no-store"
    assert page["Referrer-Policy"] == "same-origin"


def test_anonymous_submission_shows_the_passphrase_once_and_creates_no_session(client):
    page = client.post(SUBMIT, form_data())
    html = page.content.decode()
    assert page.status_code == 200, html
    report = Report.objects.get()
    assert report.mode == Mode.ANONYMOUS
    assert report.author is None
    assert report.status == ReportStatus.SUBMITTED
    assert (report.sector, report.region, report.place_size, report.is_win) == ("H", "Leeds", "50-249", True)
    shown = html.split("data-passphrase>")[1].split("<")[0].strip()
    assert len(shown.split()) >= 7
    assert passphrase.open_report(shown) == report
    assert "Write these words down" in html
    assert Session.objects.count() == 0
    assert "sessionid" not in page.cookies


def test_signed_in_member_reports_under_their_name(client, cast):
    client.force_login(cast.member)
    page = client.post(SUBMIT, form_data(mode="member"))
    assert page.status_code == 200
    report = Report.objects.get()
    assert report.mode == Mode.MEMBER
    assert report.author == cast.member
    assert report.passphrase_hash == ""
    assert "data-passphrase" not in page.content.decode()
    assert reverse("reports:mine_report", args=[report.public_id]) in page.content.decode()


def test_a_pseudonymous_report_from_a_signed_in_member_is_not_linked_to_them(client, cast):
    client.force_login(cast.member)
    page = client.post(SUBMIT, form_data(mode="pseudonym", pseudonym="Night Shift"))
    assert page.status_code == 200
    report = Report.objects.get()
    assert report.author is None
    assert report.pseudonym == "Night Shift"
    assert report.passphrase_hash
    assert not Report.objects.filter(author=cast.member).exists()


def test_a_pseudonym_is_made_up_when_left_empty(client):
    client.post(SUBMIT, form_data(mode="pseudonym"))
    report = Report.objects.get()
    assert len(report.pseudonym.split()) == 2


def test_anonymous_visitors_cannot_choose_member_mode(client):
    page = client.post(SUBMIT, form_data(mode="member"))
    assert page.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "region",
    ["12 Station Road, Leeds", "Hauptstraße 5, Berlin", "75011 Paris", "51.5007, -0.1246", "SW1A 1AA", "rue 3 Lyon"],
)
def test_street_addresses_postcodes_and_coordinates_are_refused_as_region(client, region):
    page = client.post(SUBMIT, form_data(region=region))
    assert page.status_code == 400
    assert "never a street" in page.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize("region", ["Leeds", "St Louis", "Île-de-France", "Paris 11e", "Greater Manchester"])
def test_cities_and_regions_are_fine(client, region):
    assert client.post(SUBMIT, form_data(region=region)).status_code == 200
    assert Report.objects.get().region == region


def test_at_least_one_active_desk(client):
    inactive = Desk.objects.create(name="Closed desk", is_active=False, circle=None, center=None)
    assert client.post(SUBMIT, form_data(desks=[])).status_code == 400
    assert client.post(SUBMIT, form_data(desks=[str(inactive.pk)])).status_code == 400
    assert not Report.objects.exists()


def test_required_fields_and_bad_choices_rerender_with_errors(client):
    page = client.post(SUBMIT, form_data(title="", what_happened="", place_kind="castle", sector="Z"))
    assert page.status_code == 400
    assert page.content.decode().count('class="errorlist') >= 3
    assert not Report.objects.exists()


def test_hostile_text_is_escaped_everywhere(client):
    xss = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    page = client.post(SUBMIT, form_data(mode="pseudonym", pseudonym=xss, title=xss))
    assert xss not in page.content.decode()
    phrase = page.content.decode().split("data-passphrase>")[1].split("<")[0].strip()
    inbox = client.post("/reports/inbox/", {"passphrase": phrase})
    assert xss not in inbox.content.decode()
    assert "&lt;script&gt;" in inbox.content.decode()


@needs_pillow
def test_images_are_stored_without_metadata(client):
    files = [
        SimpleUploadedFile("IMG_2024-05-01_jane.jpg", jpeg_with_gps(), content_type="image/jpeg"),
        SimpleUploadedFile("dock.png", png_with_text(), content_type="image/png"),
    ]
    page = client.post(SUBMIT, {**form_data(), "attachments": files})
    assert page.status_code == 200, page.content.decode()
    stored = list(Attachment.objects.order_by("id"))
    assert [a.extension for a in stored] == [".jpg", ".png"]
    for attachment in stored:
        assert attachment.kind == AttachmentKind.IMAGE
        assert "jane" not in attachment.file.name
        assert "dock" not in attachment.file.name
        with attachment.file.open("rb") as f:
            data = f.read()
        assert attachment.size == len(data)
        assert_no_metadata(data)


def test_documents_need_the_confirmation(client):
    pdf = b"%PDF-1.4\n<</Author (Jane)>>\n%%EOF"
    page = client.post(SUBMIT, {**form_data(), "attachments": [SimpleUploadedFile("minutes.pdf", pdf)]})
    assert page.status_code == 400
    assert "hidden details" in page.content.decode()
    assert not Report.objects.exists()
    page = client.post(
        SUBMIT,
        {**form_data(), "attachments": [SimpleUploadedFile("minutes.pdf", pdf)], "confirm_documents": "on"},
    )
    assert page.status_code == 200
    document = Attachment.objects.get()
    assert (document.kind, document.metadata_warning_confirmed, document.extension) == ("document", True, ".pdf")
    with document.file.open("rb") as f:
        assert f.read() == pdf


def test_other_file_types_are_refused(client):
    page = client.post(
        SUBMIT,
        {**form_data(), "attachments": [SimpleUploadedFile("x.html", b"<html>hi</html>")], "confirm_documents": "on"},
    )
    assert page.status_code == 400
    assert not Report.objects.exists()


@needs_pillow
def test_too_many_files_are_refused(client):
    files = [SimpleUploadedFile(f"{i}.png", png_with_text()) for i in range(6)]
    assert client.post(SUBMIT, {**form_data(), "attachments": files}).status_code == 400
    assert not Attachment.objects.exists()


def test_submission_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    platform_desk()
    with django_assert_max_num_queries(12):
        assert client.post(SUBMIT, form_data()).status_code == 200
