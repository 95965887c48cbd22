"""Desk pages as reviewers use them: the queue, a report under review, asking, redacting with a preview, publishing
only an approved version, declining; IDOR attempts by id and public id; two-factor required; query counts."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from freshground.network.models import Role
from freshground.reports.models import (
    Attachment,
    AttachmentKind,
    Desk,
    Message,
    Report,
    ReportStatus,
    Reviewer,
    Version,
    VersionStatus,
)
from freshground.reports.tests.test_desk_support import (  # noqa: F401
    ORIGINAL_EMPLOYER,
    ORIGINAL_NAME,
    World,
    _no_reports_cache,
    approve,
    login,
    make_report,
    world,
)
from freshground.testing import factories

pytestmark = pytest.mark.django_db


def review_url(desk: Desk, report: Report, action: str = "") -> str:
    name = f"reports:review_{action}" if action else "reports:review"
    return reverse(name, args=[desk.pk, report.public_id])


# Desks


def test_organiser_opens_a_desk_for_their_circle_and_becomes_its_reviewer(client, cast):
    login(client, cast.organiser)
    page = client.get(reverse("reports:desks"))
    assert page.status_code == 200
    assert f'value="circle:{cast.circle.pk}"' in page.content.decode()
    response = client.post(reverse("reports:desks"), {"for": f"circle:{cast.circle.pk}"})
    desk = Desk.objects.get(circle=cast.circle)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:desk_settings", args=[desk.pk])
    assert Reviewer.objects.filter(desk=desk, person=cast.organiser).exists()


@pytest.mark.parametrize("role", ["member", "editor", "outsider", "admin"])
def test_only_organisers_open_a_circle_desk(client, cast, role):
    login(client, getattr(cast, role))
    response = client.post(reverse("reports:desks"), {"for": f"circle:{cast.circle.pk}"})
    assert response.status_code == 403
    assert not Desk.objects.exists()


def test_desk_pages_need_sign_in(client, world: World):  # noqa: F811
    for url in (
        reverse("reports:desks"),
        reverse("reports:desk", args=[world.circle_desk.pk]),
        review_url(world.circle_desk, world.report_a),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_desk_settings_adds_only_circle_members(client, world: World):  # noqa: F811
    cast = world.cast
    login(client, cast.organiser)
    url = reverse("reports:desk_settings", args=[world.circle_desk.pk])
    page = client.get(url).content.decode()
    assert cast.member.display_name in page
    assert cast.outsider.display_name not in page
    response = client.post(url, {"action": "add", "reviewer": cast.outsider.pk})
    assert response.status_code == 400
    assert not Reviewer.objects.filter(desk=world.circle_desk, person=cast.outsider).exists()
    response = client.post(url, {"action": "add", "reviewer": cast.member.pk})
    assert response.status_code == 302
    assert Reviewer.objects.filter(desk=world.circle_desk, person=cast.member).exists()
    client.post(url, {"action": "remove", "person": cast.member.pk})
    assert not Reviewer.objects.filter(desk=world.circle_desk, person=cast.member).exists()
    client.post(url, {"action": "desk", "name": "Riverside reports", "description": "", "is_active": ""})
    world.circle_desk.refresh_from_db()
    assert world.circle_desk.name == "Riverside reports"
    assert not world.circle_desk.is_active


def test_desk_settings_refuse_reviewers_and_outsiders(client, world: World):  # noqa: F811
    url = reverse("reports:desk_settings", args=[world.circle_desk.pk])
    for person in (world.reviewer, world.cast.outsider, world.cast.admin, world.other_reviewer):
        login(client, person)
        assert client.get(url).status_code == 403


# The queue


def test_queue_lists_the_desks_reports_only(client, world: World):  # noqa: F811
    login(client, world.reviewer)
    page = client.get(reverse("reports:desk", args=[world.circle_desk.pk])).content.decode()
    assert world.report_a.public_id in page
    assert world.report_ab.public_id in page
    assert world.report_b.public_id not in page
    assert "Damp flats" not in page


def test_queue_query_count_is_fixed(client, world: World, django_assert_max_num_queries):  # noqa: F811
    for index in range(30):
        make_report(world.circle_desk, title=f"Report {index}")
    login(client, world.reviewer)
    url = reverse("reports:desk", args=[world.circle_desk.pk])
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for index in range(30):
        make_report(world.circle_desk, title=f"More {index}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_reviewer_without_two_factor_is_sent_to_set_it_up(client, world: World):  # noqa: F811
    login(client, world.reviewer_nomfa)
    queue = client.get(reverse("reports:desk", args=[world.circle_desk.pk]))
    assert queue.status_code == 200
    assert reverse("mfa_index") in queue.content.decode()
    assert world.report_a.public_id not in queue.content.decode()
    response = client.get(review_url(world.circle_desk, world.report_a))
    assert response.status_code == 403
    body = response.content.decode()
    assert reverse("mfa_index") in body
    assert ORIGINAL_NAME not in body
    response = client.post(review_url(world.circle_desk, world.report_a, "ask"), {"body": "Hello?"})
    assert response.status_code == 403
    assert not Message.objects.exists()


@pytest.mark.parametrize("role", ["outsider", "member", "editor", "admin"])
def test_non_reviewers_get_no_queue_or_report(client, world: World, role):  # noqa: F811
    login(client, getattr(world.cast, role))
    assert client.get(reverse("reports:desk", args=[world.circle_desk.pk])).status_code == 403
    response = client.get(review_url(world.circle_desk, world.report_a))
    assert response.status_code == 403
    assert ORIGINAL_NAME not in response.content.decode()


def test_organiser_who_is_not_a_reviewer_sees_the_desk_but_no_reports(client, world: World):  # noqa: F811
    login(client, world.cast.organiser)
    page = client.get(reverse("reports:desk", args=[world.circle_desk.pk]))
    assert page.status_code == 200
    assert world.report_a.public_id not in page.content.decode()
    assert client.get(review_url(world.circle_desk, world.report_a)).status_code == 403


# IDOR: by desk id and by report public id


def test_reviewer_cannot_open_another_desks_report_through_their_own_desk(client, world: World):  # noqa: F811
    login(client, world.reviewer)
    response = client.get(review_url(world.circle_desk, world.report_b))
    assert response.status_code == 404
    assert "Damp flats" not in response.content.decode()


def test_reviewer_cannot_open_another_desk(client, world: World):  # noqa: F811
    login(client, world.reviewer)
    assert client.get(reverse("reports:desk", args=[world.center_desk.pk])).status_code == 403
    assert client.get(review_url(world.center_desk, world.report_b)).status_code == 403
    assert client.get(review_url(world.center_desk, world.report_ab)).status_code == 403


@pytest.mark.parametrize("action", ["ask", "version", "topics", "images", "publish", "decline", "relate"])
def test_no_action_reaches_another_desks_report(client, world: World, action):  # noqa: F811
    approve(world.report_b)
    before = Report.objects.get(pk=world.report_b.pk)
    login(client, world.reviewer)
    data = {"body": "x", "title": "x", "what_happened": "x", "topics": "x", "message": "x", "label": "events.event"}
    data["object_id"] = "1"
    for desk, expected in ((world.circle_desk, 404), (world.center_desk, 403)):
        response = client.post(review_url(desk, world.report_b, action), data)
        assert response.status_code == expected, (desk, action)
    after = Report.objects.get(pk=world.report_b.pk)
    assert (after.status, after.last_activity_on) == (before.status, before.last_activity_on)
    assert not Message.objects.filter(report=world.report_b).exists()
    assert world.report_b.versions.count() == 1
    assert not after.topics.exists()


def test_attachments_are_served_to_the_desks_reviewers_only(client, world: World):  # noqa: F811
    name = storages["reports"].save("reports/b.png", ContentFile(b"\x89PNG\r\n\x1a\nfake"))
    attachment = Attachment.objects.create(
        report=world.report_b,
        kind=AttachmentKind.IMAGE,
        file=name,
        extension=".png",
        content_type="image/png",
        size=12,
    )
    own = reverse("reports:review_attachment", args=[world.center_desk.pk, world.report_b.public_id, attachment.pk])
    login(client, world.other_reviewer)
    response = client.get(own)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    login(client, world.reviewer)
    assert client.get(own).status_code == 403
    through_own = reverse(
        "reports:review_attachment", args=[world.circle_desk.pk, world.report_b.public_id, attachment.pk]
    )
    assert client.get(through_own).status_code == 404
    # An attachment id of another report, through a report the reviewer may open.
    other = reverse("reports:review_attachment", args=[world.circle_desk.pk, world.report_a.public_id, attachment.pk])
    assert client.get(other).status_code == 404
    # Not published: no public address either.
    public = reverse("reports:published_image", args=[world.report_b.public_id, attachment.pk])
    assert client.get(public).status_code == 404


# Reviewing


def test_opening_a_report_puts_it_in_review_and_shows_the_original(client, world: World):  # noqa: F811
    login(client, world.reviewer)
    page = client.get(review_url(world.circle_desk, world.report_a))
    assert page.status_code == 200
    assert ORIGINAL_NAME in page.content.decode()
    assert Report.objects.get(pk=world.report_a.pk).status == ReportStatus.IN_REVIEW


def test_asking_the_reporter(client, world: World):  # noqa: F811
    login(client, world.reviewer)
    response = client.post(review_url(world.circle_desk, world.report_a, "ask"), {"body": "Which shift was it?"})
    assert response.status_code == 302
    message = Message.objects.get(report=world.report_a)
    assert message.body == "Which shift was it?"
    assert message.reviewer == world.reviewer
    assert not message.from_reporter
    assert Report.objects.get(pk=world.report_a.pk).status == ReportStatus.AWAITING_REPORTER
    empty = client.post(review_url(world.circle_desk, world.report_a, "ask"), {"body": ""})
    assert empty.status_code == 400
    assert Message.objects.count() == 1


def _version_post(**extra: str) -> dict[str, str]:
    data = {
        "pairs": f"{ORIGINAL_NAME} → [a manager]\n{ORIGINAL_EMPLOYER} -> [a logistics firm]",
        "title": f"Forced overtime at {ORIGINAL_EMPLOYER}",
        "region": "Leeds",
        "what_happened": f"Our shift manager {ORIGINAL_NAME} at {ORIGINAL_EMPLOYER} cut our breaks.",
        "what_we_did": "We wrote a letter.",
        "outcome": "",
        "note": "Names removed.",
    }
    data.update(extra)
    return data


def test_redaction_preview_marks_replacements_and_saves_nothing(client, world: World):  # noqa: F811
    login(client, world.reviewer)
    response = client.post(
        review_url(world.circle_desk, world.report_a, "version"), {**_version_post(), "preview": "1"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert '<mark class="redacted">[a manager]</mark>' in body
    assert '<mark class="redacted">[a logistics firm]</mark>' in body
    # The form's fields now hold the redacted text.
    assert "Our shift manager [a manager] at [a logistics firm] cut our breaks.</textarea>" in body
    assert not Version.objects.exists()


def test_proposing_a_version_applies_the_replacements(client, world: World):  # noqa: F811
    login(client, world.reviewer)
    response = client.post(
        review_url(world.circle_desk, world.report_a, "version"), {**_version_post(), "propose": "1"}
    )
    assert response.status_code == 302
    version = Version.objects.get(report=world.report_a)
    assert version.title == "Forced overtime at [a logistics firm]"
    assert version.what_happened == "Our shift manager [a manager] at [a logistics firm] cut our breaks."
    assert version.status == VersionStatus.PROPOSED
    assert version.proposed_by == world.reviewer
    assert Report.objects.get(pk=world.report_a.pk).status == ReportStatus.AWAITING_REPORTER
    # A second proposal supersedes the first.
    client.post(review_url(world.circle_desk, world.report_a, "version"), {**_version_post(), "propose": "1"})
    assert list(world.report_a.versions.values_list("number", "status")) == [
        (2, VersionStatus.PROPOSED),
        (1, VersionStatus.SUPERSEDED),
    ]


def test_a_replacement_containing_its_own_text_is_refused(client, world: World):  # noqa: F811
    login(client, world.reviewer)
    data = {**_version_post(pairs="Smith → Mr Smith's manager"), "propose": "1"}
    response = client.post(review_url(world.circle_desk, world.report_a, "version"), data)
    assert response.status_code == 400
    assert not Version.objects.exists()


def test_publish_requires_an_approved_version(client, world: World):  # noqa: F811
    login(client, world.reviewer)
    response = client.post(review_url(world.circle_desk, world.report_a, "publish"))
    assert response.status_code == 302
    assert Report.objects.get(pk=world.report_a.pk).status == ReportStatus.SUBMITTED
    client.post(review_url(world.circle_desk, world.report_a, "version"), {**_version_post(), "propose": "1"})
    client.post(review_url(world.circle_desk, world.report_a, "publish"))
    assert Report.objects.get(pk=world.report_a.pk).status == ReportStatus.AWAITING_REPORTER
    assert client.get(world.report_a.get_absolute_url()).status_code == 404


def test_publishing_shows_only_the_approved_text(client, world: World):  # noqa: F811
    version = approve(world.report_a)
    login(client, world.reviewer)
    response = client.post(review_url(world.circle_desk, world.report_a, "publish"))
    report = Report.objects.get(pk=world.report_a.pk)
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    assert report.status == ReportStatus.PUBLISHED
    assert report.published_version == version
    assert report.published_by_desk == world.circle_desk
    assert report.published_on is not None
    client.logout()
    page = client.get(report.get_absolute_url()).content.decode()
    assert version.title in page
    assert "[a manager]" in page
    assert ORIGINAL_NAME not in page
    assert ORIGINAL_EMPLOYER not in page
    index = client.get(reverse("reports:index")).content.decode()
    assert version.title in index
    assert ORIGINAL_NAME not in index
    assert ORIGINAL_EMPLOYER not in index


def test_declining(client, world: World):  # noqa: F811
    login(client, world.reviewer)
    response = client.post(review_url(world.circle_desk, world.report_a, "decline"), {"message": "Too identifying."})
    assert response.status_code == 302
    assert Report.objects.get(pk=world.report_a.pk).status == ReportStatus.DECLINED
    assert Message.objects.get(report=world.report_a).body == "Too identifying."
    again = client.post(review_url(world.circle_desk, world.report_a, "ask"), {"body": "One more thing"})
    assert again.status_code == 400
    assert Message.objects.count() == 1


def test_topics_and_images(client, world: World):  # noqa: F811
    image = Attachment.objects.create(
        report=world.report_a, kind=AttachmentKind.IMAGE, file="reports/a.jpg", extension=".jpg",
        content_type="image/jpeg", size=1,
    )  # fmt: skip
    login(client, world.reviewer)
    client.post(review_url(world.circle_desk, world.report_a, "topics"), {"topics": "breaks, overtime"})
    assert sorted(world.report_a.topics.values_list("name", flat=True)) == ["breaks", "overtime"]
    client.post(review_url(world.circle_desk, world.report_a, "images"), {"images": [image.pk]})
    image.refresh_from_db()
    assert image.publish


def test_a_member_report_names_its_author_only_to_the_desk_and_once_published(client, world: World):  # noqa: F811
    report = make_report(world.circle_desk, mode="member", author=world.cast.member, passphrase_hash="")
    login(client, world.reviewer)
    assert world.cast.member.display_name in client.get(review_url(world.circle_desk, report)).content.decode()


def test_second_circle_organiser_of_another_circle_has_no_power(client, world: World):  # noqa: F811
    other = factories.CircleFactory.create(name="Dockside Cleaners")
    stranger = factories.PersonFactory.create(display_name="Stan Stranger")
    factories.add_member(other, stranger, Role.ORGANISER)
    login(client, stranger)
    assert client.get(reverse("reports:desk", args=[world.circle_desk.pk])).status_code == 403
    assert client.get(reverse("reports:desk_settings", args=[world.circle_desk.pk])).status_code == 403
