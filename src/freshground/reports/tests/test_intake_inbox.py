from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile

from freshground.reports import passphrase
from freshground.reports.models import Attachment, Message, Mode, ReportStatus, Version, VersionStatus
from freshground.reports.tests.intake_support import (
    assert_no_metadata,
    cheap_argon2_and_fresh_cache,
    jpeg_with_gps,
    needs_pillow,
    platform_desk,
    submit,
)

__all__ = ["cheap_argon2_and_fresh_cache"]
pytestmark = pytest.mark.django_db
INBOX = "/reports/inbox/"


def ask(report, body="Which shift was this?"):
    Message.objects.create(report=report, desk=platform_desk(), body=body)
    report.status = ReportStatus.AWAITING_REPORTER
    report.save(update_fields=["status"])


def propose(report, number=1):
    version = Version.objects.create(
        report=report,
        number=number,
        title="Unpaid overtime at a depot",
        what_happened="Managers at [the depot] kept us late.",
        note="We removed the depot's name.",
    )
    report.status = ReportStatus.AWAITING_REPORTER
    report.save(update_fields=["status"])
    return version


def test_the_passphrase_form_works_without_javascript(client):
    page = client.get(INBOX)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'method="post"' in html
    assert 'name="passphrase"' in html
    assert '<label for="id_passphrase">' in html
    assert page["Cache-Control"] == "no-store"


def test_a_wrong_passphrase_gets_a_generic_error(client):
    done = submit()
    wrong = " ".join([*done.passphrase.split()[:-1], "nope"])
    page = client.post(INBOX, {"passphrase": wrong})
    assert page.status_code == 200
    assert str(passphrase.GENERIC_ERROR) in page.content.decode()
    assert done.report.title not in page.content.decode()


def test_repeated_failures_are_throttled(client):
    done = submit()
    words = done.passphrase.split()
    for i in range(passphrase.PREFIX_LIMIT):
        client.post(INBOX, {"passphrase": " ".join([*words[:2], "wrong", "words", "here", "now", str(i)])})
    page = client.post(INBOX, {"passphrase": done.passphrase})
    assert page.status_code == 429
    assert "Too many attempts" in page.content.decode()


def test_the_reporter_reads_a_question_and_answers_it_without_a_session(client):
    done = submit()
    ask(done.report)
    page = client.post(INBOX, {"passphrase": done.passphrase})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Which shift was this?" in html
    assert f'name="passphrase" value="{done.passphrase}"' in html  # every form re-posts it
    assert "waiting for the reporter" in html
    page = client.post(INBOX, {"passphrase": done.passphrase, "action": "answer", "body": "The night shift."})
    assert "Your answer was sent" in page.content.decode()
    answer = Message.objects.get(from_reporter=True)
    assert (answer.body, answer.reviewer_id) == ("The night shift.", None)
    done.report.refresh_from_db()
    assert done.report.status == ReportStatus.IN_REVIEW
    assert Session.objects.count() == 0
    assert not any(name == "sessionid" for name in client.cookies)


def test_an_empty_answer_is_refused(client):
    done = submit()
    page = client.post(INBOX, {"passphrase": done.passphrase, "action": "answer", "body": "  "})
    assert page.status_code == 200
    assert not Message.objects.exists()


def test_the_reporter_sees_the_proposed_version_beside_the_original_and_approves_it(client):
    done = submit()
    version = propose(done.report)
    page = client.post(INBOX, {"passphrase": done.passphrase})
    html = page.content.decode()
    assert "Managers at [the depot] kept us late." in html
    assert "Managers kept us an hour after every shift." in html
    assert "We removed the depot&#x27;s name." in html
    page = client.post(INBOX, {"passphrase": done.passphrase, "action": "approve", "version": "1"})
    assert "You approved the version" in page.content.decode()
    version.refresh_from_db()
    done.report.refresh_from_db()
    assert version.status == VersionStatus.APPROVED
    assert version.decided_on is not None
    assert done.report.status == ReportStatus.APPROVED
    # Approving twice is a clear refusal, not an error page.
    again = client.post(INBOX, {"passphrase": done.passphrase, "action": "approve", "version": "1"})
    assert again.status_code == 200
    assert "already" in again.content.decode()


def test_declining_with_a_reason_sends_it_as_a_message(client):
    done = submit()
    version = propose(done.report)
    client.post(
        INBOX, {"passphrase": done.passphrase, "action": "decline", "version": "1", "reason": "Keep the city out."}
    )
    version.refresh_from_db()
    done.report.refresh_from_db()
    assert version.status == VersionStatus.DECLINED
    assert done.report.status == ReportStatus.IN_REVIEW
    assert Message.objects.get().body == "Keep the city out."


def test_withdrawing_needs_the_tick_and_deletes_the_files(client):
    done = submit(uploads=[])
    Attachment.objects.create(
        report=done.report, kind="image", file="reports/x.jpg", extension=".jpg", content_type="image/jpeg", size=1
    )
    page = client.post(INBOX, {"passphrase": done.passphrase, "action": "withdraw"})
    assert "Tick the box" in page.content.decode()
    done.report.refresh_from_db()
    assert done.report.status == ReportStatus.SUBMITTED
    client.post(INBOX, {"passphrase": done.passphrase, "action": "withdraw", "confirm": "yes"})
    done.report.refresh_from_db()
    assert done.report.status == ReportStatus.WITHDRAWN
    assert not Attachment.objects.exists()


def test_a_published_report_cannot_be_withdrawn(client):
    done = submit()
    version = propose(done.report)
    version.status = VersionStatus.APPROVED
    version.save()
    done.report.status = ReportStatus.PUBLISHED
    done.report.published_version = version
    done.report.save()
    page = client.post(INBOX, {"passphrase": done.passphrase, "action": "withdraw", "confirm": "yes"})
    assert "can no longer be withdrawn" in page.content.decode()
    done.report.refresh_from_db()
    assert done.report.status == ReportStatus.PUBLISHED


def test_a_version_of_another_report_cannot_be_approved(client):
    mine, other = submit(), submit()
    propose(other.report)
    page = client.post(INBOX, {"passphrase": mine.passphrase, "action": "approve", "version": "1"})
    assert "no such version" in page.content.decode()
    assert Version.objects.get().status == VersionStatus.PROPOSED


@needs_pillow
def test_the_reporter_downloads_their_cleaned_image_but_not_another_reports_file(client):
    done = submit(uploads=[])
    page = client.post(
        "/reports/submit/",
        {
            "mode": "anonymous",
            "title": "With a photo",
            "place_kind": "workplace",
            "what_happened": "See the photo.",
            "desks": [str(platform_desk().pk)],
            "attachments": [SimpleUploadedFile("p.jpg", jpeg_with_gps())],
        },
    )
    phrase = page.content.decode().split("data-passphrase>")[1].split("<")[0].strip()
    attachment = Attachment.objects.get()
    served = client.post(INBOX, {"passphrase": phrase, "action": "attachment", "attachment": str(attachment.pk)})
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["Cache-Control"] == "no-store"
    assert_no_metadata(served.content)
    other = client.post(
        INBOX, {"passphrase": done.passphrase, "action": "attachment", "attachment": str(attachment.pk)}
    )
    assert other.status_code == 404


def test_a_passphrase_never_opens_a_member_report_and_members_use_their_own_page(client, cast):
    done = submit(cast.member, mode=Mode.MEMBER)
    ask(done.report)
    url = f"/reports/mine/{done.report.public_id}/"
    assert client.get("/reports/mine/").status_code == 302  # to the login page
    client.force_login(cast.member)
    listing = client.get("/reports/mine/")
    assert done.report.title in listing.content.decode()
    page = client.get(url)
    assert "Which shift was this?" in page.content.decode()
    assert 'name="passphrase"' not in page.content.decode()
    client.post(url, {"action": "answer", "body": "Nights."})
    done.report.refresh_from_db()
    assert done.report.status == ReportStatus.IN_REVIEW
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "withdraw", "confirm": "yes"}).status_code == 404
    done.report.refresh_from_db()
    assert done.report.status == ReportStatus.IN_REVIEW


def test_mine_lists_only_reports_under_the_members_name(client, cast, django_assert_num_queries):
    for i in range(3):
        submit(cast.member, mode=Mode.MEMBER, title=f"Mine {i}")
    submit(cast.member, mode=Mode.PSEUDONYM, title="Pseudonymous one")
    submit(cast.organiser, mode=Mode.MEMBER, title="Someone else's")
    client.force_login(cast.member)
    client.get("/reports/mine/")
    with django_assert_num_queries(3):  # session, user, reports
        page = client.get("/reports/mine/")
    html = page.content.decode()
    assert html.count("Mine ") == 3
    assert "Pseudonymous one" not in html
    assert "Someone else" not in html


def test_every_reporter_action_overwrites_last_activity(client):
    from datetime import date

    done = submit()
    ask(done.report)
    type(done.report).objects.filter(pk=done.report.pk).update(last_activity_on=date(2020, 1, 1))
    client.post(INBOX, {"passphrase": done.passphrase, "action": "answer", "body": "Yes."})
    done.report.refresh_from_db()
    assert done.report.last_activity_on > date(2020, 1, 1)
