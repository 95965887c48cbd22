"""Answering: anonymous, no identifying data stored, double submission caught, k rule, CSV, XSS, API."""

from __future__ import annotations

import csv
import io
import json
import logging

import pytest
from django.apps import apps
from django.db import connection

from freshground.inquiries import services
from freshground.inquiries.models import Answer, QuestionKind
from freshground.inquiries.services import QuestionFields
from freshground.inquiries.tests.helpers import answer, clear_cache, fill, make_inquiry, questions
from freshground.network.tests.api_helpers import bearer, call

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def k5(settings):
    settings.FRESHGROUND = {**settings.FRESHGROUND, "INQUIRY_MIN_ANSWERS": 5}


def form_data(inquiry, token, *, text="It is hot."):
    single, multiple, scale, long_text = questions(inquiry)
    return {
        "token": token,
        f"q{single.pk}": str(single.options.first().pk),
        f"q{multiple.pk}": [str(o.pk) for o in multiple.options.all()[:2]],
        f"q{scale.pk}": "3",
        f"q{long_text.pk}": text,
    }


def token_from(response):
    html = response.content.decode()
    start = html.index('name="token" value="') + len('name="token" value="')
    return html[start : html.index('"', start)]


def test_anonymous_answer_without_javascript_and_nothing_links_to_the_person(client, cast):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    client.force_login(cast.member)  # signed in: still not linked
    page = client.get(inquiry.get_absolute_url())
    assert page.status_code == 200
    assert "Your answers are anonymous" in page.content.decode()
    response = client.post(inquiry.get_absolute_url(), form_data(inquiry, token_from(page)))
    assert response.status_code == 302
    assert response["Location"].endswith("/thanks/")
    inquiry.refresh_from_db()
    assert inquiry.answer_count == 1
    # No field on Answer can hold a person, a date or request data.
    names = {f.name for f in Answer._meta.get_fields()}
    assert names == {"id", "question", "response", "option", "number", "text"}
    assert Answer.objects.count() == 5


MARKERS = {
    "ip": "203.0.113.77",
    "ua": "MarkerAgent/9.9 zqxmarkerua",
    "referer": "https://zqxmarkerref.example/page",
    "cookie": "zqxmarkercookie",
}


def test_marker_strings_from_the_request_are_stored_nowhere(client, cast, caplog):
    """Send answers with marker strings in X-Forwarded-For, User-Agent, Referer and a cookie; search every table and
    the log output: none may be found."""
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    client.cookies["tracker"] = MARKERS["cookie"]
    headers = {
        "HTTP_X_FORWARDED_FOR": MARKERS["ip"],
        "HTTP_X_REAL_IP": MARKERS["ip"],
        "HTTP_USER_AGENT": MARKERS["ua"],
        "HTTP_REFERER": MARKERS["referer"],
        "REMOTE_ADDR": MARKERS["ip"],
    }
    caplog.set_level(logging.DEBUG)
    page = client.get(inquiry.get_absolute_url(), **headers)
    response = client.post(inquiry.get_absolute_url(), form_data(inquiry, token_from(page)), **headers)
    assert response.status_code == 302
    api_token = call(client, "GET", f"/inquiries/{inquiry.slug}/").json()["token"]
    single = questions(inquiry)[0]
    body = {"token": api_token, "answers": {str(single.pk): single.options.first().pk}}
    api = client.post(
        f"/api/v1/inquiries/{inquiry.slug}/answers", json.dumps(body), content_type="application/json", **headers
    )
    assert api.status_code == 201, api.content
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            columns = [f.column for f in model._meta.concrete_fields]
            cursor.execute(f'SELECT {", ".join(f""""{c}" """ for c in columns)} FROM "{table}"')  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                found += [(table, name) for name, marker in MARKERS.items() if marker in text]
    assert found == []
    logged = caplog.text
    assert not [name for name, marker in MARKERS.items() if marker in logged]


def test_double_submission_is_caught_with_the_token(client, cast):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    page = client.get(inquiry.get_absolute_url())
    data = form_data(inquiry, token_from(page))
    assert client.post(inquiry.get_absolute_url(), data).status_code == 302
    again = client.post(inquiry.get_absolute_url(), data)
    assert again.status_code == 302  # shown the thank-you page again, nothing stored
    inquiry.refresh_from_db()
    assert inquiry.answer_count == 1
    single = questions(inquiry)[0]
    with pytest.raises(services.Conflict):
        services.submit_answers(inquiry=inquiry, answers={single.pk: single.options.first().pk}, token=data["token"])


def test_a_forged_or_foreign_token_is_refused(cast):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    other = make_inquiry(cast.organiser, circle=cast.circle, title="Other")
    single = questions(inquiry)[0]
    for token in ["", "nonsense", services.issue_token(other)]:
        with pytest.raises(services.DomainError):
            services.submit_answers(inquiry=inquiry, answers={single.pk: single.options.first().pk}, token=token)
    assert Answer.objects.count() == 0


def test_required_answer_missing_redisplays_the_form_with_the_entries(client, cast):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    page = client.get(inquiry.get_absolute_url())
    data = form_data(inquiry, token_from(page), text="kept text")
    single = questions(inquiry)[0]
    del data[f"q{single.pk}"]
    response = client.post(inquiry.get_absolute_url(), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This question needs an answer." in html
    assert "kept text" in html
    assert Answer.objects.count() == 0
    data[f"q{single.pk}"] = str(single.options.first().pk)
    assert client.post(inquiry.get_absolute_url(), data).status_code == 302  # same token still usable


def test_invalid_values_are_refused(cast):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    other = make_inquiry(cast.organiser, circle=cast.circle, title="Other")
    single, _multiple, scale, _text = questions(inquiry)
    foreign_option = questions(other)[0].options.first().pk
    bad = [
        {single.pk: foreign_option},
        {single.pk: single.options.first().pk, scale.pk: 9},
        {single.pk: [o.pk for o in single.options.all()]},
    ]
    for answers in bad:
        with pytest.raises(services.DomainError):
            services.submit_answers(inquiry=inquiry, answers=answers, token=services.issue_token(inquiry))
    assert Answer.objects.count() == 0


def test_drafts_and_closed_inquiries_take_no_answers(client, cast):
    draft = make_inquiry(cast.organiser, circle=cast.circle, publish=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    inquiry = make_inquiry(cast.organiser, circle=cast.circle, title="Closing")
    token = services.issue_token(inquiry)
    services.close_inquiry(cast.organiser, inquiry)
    with pytest.raises(services.Conflict):
        answer(inquiry)
    page = client.get(inquiry.get_absolute_url())
    assert "This inquiry is closed" in page.content.decode()
    assert client.post(inquiry.get_absolute_url(), form_data(inquiry, token)).status_code == 403


def test_k_rule_k_minus_one_answers_show_nothing(client, cast, k5):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    fill(inquiry, 4, text="zqx-secret-text")
    for viewer in (None, cast.organiser, cast.admin):
        if viewer:
            client.force_login(viewer)
        html = client.get(f"/inquiries/{inquiry.slug}/results/").content.decode()
        assert "Results appear after 5 answers." in html
        assert "<svg" not in html
        assert "Do you get breaks?" not in html
        api = call(client, "GET", f"/inquiries/{inquiry.slug}/results").json()
        assert api == {
            "available": False,
            "min_answers": 5,
            "detail": "Results appear after 5 answers.",
            "answer_count": None,
            "questions": [],
        }
    client.force_login(cast.organiser)
    assert client.get(f"/inquiry-editor/{inquiry.slug}/answers/").status_code == 403
    assert client.get(f"/inquiry-editor/{inquiry.slug}/export.csv").status_code == 403
    assert "zqx-secret-text" not in client.get(f"/inquiry-editor/{inquiry.slug}/").content.decode()


def test_k_rule_k_answers_show_aggregates_but_free_text_only_to_editors(client, cast, k5):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    fill(inquiry, 3, choice=0, picks=(0,), scale=2, text="zqx-secret-text")
    fill(inquiry, 2, choice=1, picks=(0, 2), scale=5, text="zqx-secret-text")
    html = client.get(f"/inquiries/{inquiry.slug}/results/").content.decode()
    assert "5 people answered." in html
    assert html.count('role="img"') == 3  # single, multiple, scale
    assert "zqx-secret-text" not in html
    results = call(client, "GET", f"/inquiries/{inquiry.slug}/results").json()
    assert results["available"] is True
    by_text = {q["text"]: {r["label"]: r["count"] for r in q["rows"]} for q in results["questions"]}
    assert by_text["Do you get breaks?"] == {"Yes": 3, "No": 2}
    assert by_text["What is hard?"] == {"Heat": 5, "Pace": 0, "Pay": 2}
    assert by_text["Safety"] == {"1": 0, "2": 3, "3": 0, "4": 0, "5": 2}
    assert by_text["Anything else?"] == {}
    assert client.get(f"/inquiry-editor/{inquiry.slug}/answers/").status_code in (302, 403)
    client.force_login(cast.outsider)
    assert client.get(f"/inquiry-editor/{inquiry.slug}/answers/").status_code == 403
    client.force_login(cast.organiser)
    free = client.get(f"/inquiry-editor/{inquiry.slug}/answers/").content.decode()
    assert free.count("zqx-secret-text") == 5


def test_results_page_reads_tallies_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    fill(inquiry, 5)
    client.get(f"/inquiries/{inquiry.slug}/results/")
    # The inquiry, its questions, their options, the tally rows: never the answers, and never stale.
    with django_assert_num_queries(4) as captured:
        client.get(f"/inquiries/{inquiry.slug}/results/")
    assert not any("inquiries_answer" in q["sql"] for q in captured.captured_queries)
    answer(inquiry)
    fill(inquiry, 20)
    with django_assert_num_queries(4):
        html = client.get(f"/inquiries/{inquiry.slug}/results/").content.decode()
    assert "26 people answered." in html
    with django_assert_num_queries(4):
        assert call(client, "GET", f"/inquiries/{inquiry.slug}/results").json()["answer_count"] == 26


def test_csv_has_answers_only_shuffled_without_ids_or_dates(client, cast):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    for i in range(12):
        answer(inquiry, choice=i % 2, text=f"text number {i:02d}")
    client.force_login(cast.organiser)
    response = client.get(f"/inquiry-editor/{inquiry.slug}/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Do you get breaks?", "What is hard?", "Safety", "Anything else?"]
    body = rows[1:]
    assert len(body) == 12
    assert all(len(row) == 4 for row in body)
    assert {row[0] for row in body} == {"Yes", "No"}
    assert {row[1] for row in body} == {"Heat; Pace"}
    texts = [row[3] for row in body]
    assert sorted(texts) == [f"text number {i:02d}" for i in range(12)]
    assert texts != sorted(texts) or texts != [f"text number {i:02d}" for i in range(12)]
    # No ids, response numbers or dates anywhere.
    flat = " ".join(" ".join(row) for row in body)
    for value in Answer.objects.values_list("id", "response"):
        assert str(value[0]) not in flat
        assert str(value[1]) not in flat
    assert str(inquiry.created_on) not in flat
    # Same through the API, editors only.
    assert (
        call(client, "GET", f"/inquiries/{inquiry.slug}/export.csv", headers=bearer(cast.outsider)).status_code == 403
    )
    api = client.get(f"/api/v1/inquiries/{inquiry.slug}/export.csv", headers=bearer(cast.organiser))
    assert api.status_code == 200


def test_csv_neutralises_spreadsheet_formulas(client, cast):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    fill(inquiry, 5, text='=HYPERLINK("http://evil")')
    client.force_login(cast.organiser)
    content = b"".join(client.get(f"/inquiry-editor/{inquiry.slug}/export.csv").streaming_content).decode()
    assert "'=HYPERLINK" in content
    assert "\n=HYPERLINK" not in content


XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</title><svg onload=alert(1)>"]


def test_hostile_question_and_option_texts_are_inert(client, cast):
    inquiry = services.create_inquiry(
        cast.organiser, fields=services.InquiryFields(title=XSS[0], introduction=XSS[1]), circle=cast.circle
    )
    services.add_question(
        cast.organiser, inquiry, fields=QuestionFields(kind=QuestionKind.SINGLE, text=XSS[2], options=XSS[:2])
    )
    services.add_question(
        cast.organiser,
        inquiry,
        fields=QuestionFields(kind=QuestionKind.SCALE, text=XSS[0], scale_min_label=XSS[1], scale_max_label=XSS[2]),
    )
    services.add_question(cast.organiser, inquiry, fields=QuestionFields(kind=QuestionKind.SHORT_TEXT, text=XSS[1]))
    services.publish_inquiry(cast.organiser, inquiry)
    single, scale, short = questions(inquiry)
    for _ in range(5):
        services.submit_answers(
            inquiry=inquiry,
            answers={single.pk: single.options.first().pk, scale.pk: 3, short.pk: XSS[0]},
            token=services.issue_token(inquiry),
        )
    client.force_login(cast.organiser)
    for url in [
        "/inquiries/",
        f"/inquiries/{inquiry.slug}/",
        f"/inquiries/{inquiry.slug}/results/",
        f"/inquiry-editor/{inquiry.slug}/",
        f"/inquiry-editor/{inquiry.slug}/answers/",
        "/inquiry-editor/",
    ]:
        html = client.get(url).content.decode()
        for payload in XSS:
            assert payload not in html, (url, payload)
        assert "<script>alert" not in html
        assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")


def test_list_page_query_count_is_fixed(client, cast, django_assert_max_num_queries):
    for i in range(3):
        make_inquiry(cast.organiser, circle=cast.circle, title=f"Inquiry {i}")
    with django_assert_max_num_queries(3) as first:
        assert client.get("/inquiries/").status_code == 200
    for i in range(10):
        make_inquiry(cast.editor, center=cast.center, title=f"More {i}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        html = client.get("/inquiries/").content.decode()
    assert "More 9" in html


def test_api_list_detail_submit_results(client, cast):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    draft = make_inquiry(cast.organiser, circle=cast.circle, title="Secret draft", publish=False)
    listed = call(client, "GET", "/inquiries/").json()
    assert [i["slug"] for i in listed] == [inquiry.slug]
    assert call(client, "GET", f"/inquiries/{draft.slug}/").status_code == 404
    assert call(client, "GET", f"/inquiries/{draft.slug}/", headers=bearer(cast.organiser)).status_code == 200
    detail = call(client, "GET", f"/inquiries/{inquiry.slug}/").json()
    assert [q["kind"] for q in detail["questions"]] == ["single", "multiple", "scale", "long"]
    single, multiple, scale, text = detail["questions"]
    body = {
        "token": detail["token"],
        "answers": {
            str(single["id"]): single["options"][1]["id"],
            str(multiple["id"]): [o["id"] for o in multiple["options"]],
            str(scale["id"]): 5,
            str(text["id"]): "Fine.",
        },
    }
    assert call(client, "POST", f"/inquiries/{inquiry.slug}/answers", body).status_code == 201
    again = call(client, "POST", f"/inquiries/{inquiry.slug}/answers", body)
    assert again.status_code == 409
    missing = call(client, "POST", f"/inquiries/{inquiry.slug}/answers", {"token": detail["token"], "answers": {}})
    assert missing.status_code == 400
    assert call(client, "POST", f"/inquiries/{draft.slug}/answers", body).status_code == 404
    inquiry.refresh_from_db()
    assert inquiry.answer_count == 1


def test_answers_from_one_address_are_rate_limited_like_reports(settings, cast):
    from django.test import Client

    settings.FRESHGROUND = {**settings.FRESHGROUND, "REPORT_SUBMISSION_LIMITS": (1, 100)}
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    one = Client(REMOTE_ADDR="203.0.113.5")
    first = one.post(inquiry.get_absolute_url(), form_data(inquiry, token_from(one.get(inquiry.get_absolute_url()))))
    assert first.status_code == 302
    again = one.post(inquiry.get_absolute_url(), form_data(inquiry, token_from(one.get(inquiry.get_absolute_url()))))
    assert again.status_code == 429
    assert "Too many reports or answers" in again.content.decode()
    assert Answer.objects.filter(question__inquiry=inquiry).values("response").distinct().count() == 1
    other = Client(REMOTE_ADDR="198.51.100.5")
    fresh = other.post(
        inquiry.get_absolute_url(), form_data(inquiry, token_from(other.get(inquiry.get_absolute_url())))
    )
    assert fresh.status_code == 302
