from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from freshground.people.services import create_api_token
from freshground.reports import passphrase
from freshground.reports.models import Attachment, Message, Mode, Report, ReportStatus, Version, VersionStatus
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
API = "/api/v1/reports"


def body(**overrides):
    data = {
        "title": "Wage theft at the café",
        "place_kind": "workplace",
        "what_happened": "Tips were kept by the owner.",
        "sector": "I",
        "region": "Bristol",
        "desks": [platform_desk().pk],
    }
    data.update(overrides)
    return data


def post(client, path, data, **extra):
    return client.post(f"{API}{path}", data, content_type="application/json", **extra)


def bearer(person):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(person=person, name='t')[1]}"}


def test_anonymous_json_submission_returns_the_passphrase_once(client):
    answer = post(client, "/", body())
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert data["mode"] == "anonymous"
    assert data["public_id"] is None
    assert len(data["passphrase"].split()) >= 7
    report = Report.objects.get()
    assert passphrase.open_report(data["passphrase"]) == report
    assert answer["Cache-Control"] == "no-store"


@needs_pillow
def test_multipart_submission_with_images(client):
    answer = client.post(
        f"{API}/",
        {
            **body(mode="pseudonym", pseudonym="Grey Heron", is_win="true"),
            "attachments": [SimpleUploadedFile("a.jpg", jpeg_with_gps()), SimpleUploadedFile("b.png", png_with_text())],
        },
    )
    assert answer.status_code == 201, answer.content
    report = Report.objects.get()
    assert (report.mode, report.pseudonym, report.is_win, report.author) == (Mode.PSEUDONYM, "Grey Heron", True, None)
    for attachment in Attachment.objects.all():
        with attachment.file.open("rb") as f:
            assert_no_metadata(f.read())


def test_member_mode_needs_a_token_not_a_session(client, cast):
    client.force_login(cast.member)
    refused = post(client, "/", body(mode="member"))
    assert refused.status_code == 403
    assert not Report.objects.exists()
    accepted = post(client, "/", body(mode="member"), **bearer(cast.member))
    assert accepted.status_code == 201
    assert accepted.json()["passphrase"] is None
    report = Report.objects.get()
    assert (report.author, accepted.json()["public_id"]) == (cast.member, report.public_id)


def test_bad_input_is_a_clear_error(client):
    assert post(client, "/", body(desks=[])).status_code == 422
    assert post(client, "/", body(title="")).status_code == 400
    refused = post(client, "/", body(region="10 Downing Street, London"))
    assert refused.status_code == 400
    assert refused.json()["field"] == "region"
    assert client.post(f"{API}/", "not json", content_type="application/json").status_code == 400
    assert not Report.objects.exists()


def test_the_inbox_with_the_passphrase_in_the_body(client):
    phrase = post(client, "/", body()).json()["passphrase"]
    report = Report.objects.get()
    Message.objects.create(report=report, desk=platform_desk(), body="When?")
    Version.objects.create(report=report, number=1, title="Wage theft", what_happened="Tips were kept.")
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.AWAITING_REPORTER)
    inbox = post(client, "/inbox", {"passphrase": phrase.upper()})
    assert inbox.status_code == 200
    data = inbox.json()
    assert data["status"] == "awaiting"
    assert [m["body"] for m in data["messages"]] == ["When?"]
    assert data["proposed_version"]["what_happened"] == "Tips were kept."
    assert data["original"]["what_happened"] == "Tips were kept by the owner."
    answered = post(client, "/inbox/answer", {"passphrase": phrase, "body": "In May."})
    assert answered.json()["messages"][-1] == {**answered.json()["messages"][-1], "from_reporter": True}
    approved = post(client, "/inbox/approve", {"passphrase": phrase, "version": 1})
    assert approved.json()["status"] == "approved"
    assert Version.objects.get().status == VersionStatus.APPROVED


def test_decline_and_withdraw(client):
    phrase = post(client, "/", body()).json()["passphrase"]
    report = Report.objects.get()
    Version.objects.create(report=report, number=1, title="T", what_happened="W")
    declined = post(client, "/inbox/decline", {"passphrase": phrase, "version": 1, "reason": "Too vague."})
    assert declined.json()["status"] == "in_review"
    assert post(client, "/inbox/decline", {"passphrase": phrase, "version": 1}).status_code == 409
    assert post(client, "/inbox/withdraw", {"passphrase": phrase}).json()["status"] == "withdrawn"
    assert post(client, "/inbox/withdraw", {"passphrase": phrase}).status_code == 409


def test_wrong_passphrase_is_a_generic_404_then_throttled(client):
    phrase = post(client, "/", body()).json()["passphrase"]
    words = phrase.split()
    wrong = post(client, "/inbox", {"passphrase": " ".join([*words[:-1], "nope"])})
    assert wrong.status_code == 404
    assert wrong.json()["detail"] == str(passphrase.GENERIC_ERROR)
    for i in range(passphrase.PREFIX_LIMIT):
        post(client, "/inbox", {"passphrase": " ".join([*words[:2], "a", "b", "c", "d", str(i)])})
    assert post(client, "/inbox", {"passphrase": phrase}).status_code == 429


def test_passphrases_are_never_taken_from_the_query_string(client):
    phrase = post(client, "/", body()).json()["passphrase"]
    answer = client.post(f"{API}/inbox?passphrase={phrase}", {}, content_type="application/json")
    assert answer.status_code == 404


@needs_pillow
def test_attachment_download_only_for_its_reporter(client):
    answer = client.post(f"{API}/", {**body(), "attachments": [SimpleUploadedFile("a.jpg", jpeg_with_gps())]})
    phrase = answer.json()["passphrase"]
    other = post(client, "/", body()).json()["passphrase"]
    attachment = Attachment.objects.get()
    served = post(client, "/inbox/attachment", {"passphrase": phrase, "attachment": attachment.pk})
    assert served.status_code == 200
    assert_no_metadata(served.content)
    assert post(client, "/inbox/attachment", {"passphrase": other, "attachment": attachment.pk}).status_code == 404


def test_a_member_opens_their_report_by_public_id_with_a_token_only(client, cast):
    public_id = post(client, "/", body(mode="member"), **bearer(cast.member)).json()["public_id"]
    assert post(client, "/inbox", {"public_id": public_id}).status_code == 404
    assert post(client, "/inbox", {"public_id": public_id}, **bearer(cast.outsider)).status_code == 404
    assert post(client, "/inbox", {"public_id": public_id}, **bearer(cast.member)).status_code == 200
    mine = client.get(f"{API}/mine", **bearer(cast.member))
    assert [r["public_id"] for r in mine.json()] == [public_id]
    assert client.get(f"{API}/mine").status_code == 403
