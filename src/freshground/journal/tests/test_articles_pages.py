# mypy: disable-error-code="arg-type,attr-defined"
"""The pages: writing with preview and images, the article page, history with diffs, the desk, IDOR on every view."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from freshground.journal import diffs
from freshground.journal import services_articles as services
from freshground.journal.models import Article, ArticleImage, ArticleRevision, SubmissionStatus

pytestmark = pytest.mark.django_db

BODY = "A paragraph about the strike.\n\nAnother one, with a note[^1].\n\n[^1]: Strike bulletin, June.\n"


def draft(cast, **kwargs):
    return services.create_article(cast.member, title="Why we struck", body=BODY, licence="cc-by-4.0", **kwargs)


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"secret comment")
    return out.getvalue()


def test_write_preview_save_and_read(client, cast):
    client.force_login(cast.member)
    response = client.get(reverse("journal:write"))
    assert response.status_code == 200
    assert 'hx-post="/journal/preview/"' in response.text
    data = {"title": "Why we struck", "body": BODY, "licence": "cc-by-sa-4.0", "language": "en", "preview": "1"}
    response = client.post(reverse("journal:write"), data)
    assert response.status_code == 200
    assert 'id="fn-1"' in response.text
    assert not Article.objects.exists()  # a preview saves nothing
    data.pop("preview")
    response = client.post(reverse("journal:write"), data)
    article = Article.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("journal:article", kwargs={"slug": article.slug})
    page = client.get(response.url).text
    assert "Why we struck" in page
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in page
    assert "Only you and the editors" in page


def test_preview_endpoint(client, cast):
    client.force_login(cast.member)
    response = client.post(reverse("journal:preview"), {"body": "**bold** <script>x</script>"}, HTTP_HX_REQUEST="true")
    assert "<strong>bold</strong>" in response.text
    assert "<script>" not in response.text
    client.logout()
    assert client.post(reverse("journal:preview"), {"body": "x"}).status_code == 302


def test_preview_needs_csrf(cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.member)
    assert strict.post(reverse("journal:preview"), {"body": "x"}).status_code == 403


def test_bad_input_rerenders_with_errors(client, cast):
    client.force_login(cast.member)
    response = client.post(reverse("journal:write"), {"title": "", "body": "x", "licence": "cc-by-4.0"})
    assert response.status_code == 200
    assert "errorlist" in response.text
    assert not Article.objects.exists()


def test_image_upload_is_stripped_and_inserted(client, cast, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.member)
    upload = io.BytesIO(jpeg_with_gps())
    upload.name = "IMG_1234_home.jpg"
    data = {"title": "Pictures", "body": "Text.", "licence": "cc-by-4.0", "image": upload, "image_alt": "The picket"}
    response = client.post(reverse("journal:write"), data)
    assert response.status_code == 302
    image = ArticleImage.objects.get()
    article = Article.objects.get()
    assert image.article == article
    name = image.image.name.rsplit("/", 1)[-1]
    assert "IMG_1234" not in name
    assert f"![The picket](/journal/article-images/{name})" in article.body
    assert f'src="/journal/article-images/{name}"' in article.body_html
    served = client.get(f"/journal/article-images/{name}")
    assert served.status_code == 200
    data = b"".join(served.streaming_content)
    # No served.close(): it sends request_finished, which closes the database connection in the middle of the test.
    assert b"SecretCam" not in data
    assert b"secret comment" not in data
    with Image.open(io.BytesIO(data)) as opened:
        assert not opened.getexif()
        assert opened.size == (40, 30)
    assert client.get("/journal/article-images/nothing.jpg").status_code == 404


def test_not_an_image_is_refused(client, cast, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.member)
    upload = io.BytesIO(b"<svg onload=alert(1)></svg>")
    upload.name = "x.jpg"
    response = client.post(
        reverse("journal:write"), {"title": "T", "body": "B", "licence": "cc-by-4.0", "image": upload}
    )
    assert response.status_code == 200
    assert not Article.objects.exists()
    assert not ArticleImage.objects.exists()


def test_history_and_diff(client, cast):
    article = draft(cast)
    services.update_article(
        cast.member, article, title="Why we struck, and won", body=BODY.replace("strike", "walkout")
    )
    rows, added, removed = diffs.diff_lines("a\nb\nc\n", "a\nB\nc\nd\n")
    assert (added, removed) == (2, 1)
    assert [r.kind for r in rows] == ["same", "removed", "added", "same", "added"]
    client.force_login(cast.member)
    page = client.get(reverse("journal:article_history", kwargs={"slug": article.slug}) + "?a=1&b=2").text
    assert "<del>A paragraph about the strike.</del>" in page
    assert "<ins>A paragraph about the walkout.</ins>" in page
    assert "<del>Why we struck</del>" in page
    assert '<th scope="col">' in page


def test_long_unchanged_runs_are_folded():
    old = "\n".join(f"line {i}" for i in range(100))
    new = old.replace("line 50", "line fifty")
    rows, _added, _removed = diffs.diff_lines(old, new)
    assert len(rows) < 12
    assert rows[0].kind == "skip"


def test_desk_and_review_page(client, cast, django_assert_num_queries):
    for n in range(3):
        article = services.create_article(cast.member, title=f"Piece {n}", body=BODY)
        services.submit(cast.member, article, centers=[cast.center])
    client.force_login(cast.organiser)
    page = client.get(reverse("journal:desk")).text
    assert "Riverside Hospital Workers" in page
    assert "Nothing waits here." in page  # the organiser's circle has an empty queue
    assert "Piece " not in page
    client.force_login(cast.editor)
    client.get(reverse("journal:desk"))
    with django_assert_num_queries(8):
        response = client.get(reverse("journal:desk"))
    assert response.text.count("Piece ") == 3
    for n in range(3, 9):
        extra = services.create_article(cast.member, title=f"Piece {n}", body=BODY)
        services.submit(cast.member, extra, centers=[cast.center])
    with django_assert_num_queries(8):  # the same whatever the queue's length
        response = client.get(reverse("journal:desk"))
    assert response.text.count("Piece ") == 9
    submission = article.submissions.get()
    services.add_note(cast.editor, submission, text="Tighten the intro.")
    services.update_article(cast.member, article, title=article.title, body=BODY + "\nA new closing line.\n")
    page = client.get(reverse("journal:submission", kwargs={"pk": submission.pk})).text
    assert "Tighten the intro." in page
    assert "<ins>A new closing line.</ins>" in page
    response = client.post(
        reverse("journal:submission", kwargs={"pk": submission.pk}), {"action": "return", "note": ""}
    )
    assert response.status_code == 200
    assert "errorlist" in response.text or "Tell the author" in response.text
    response = client.post(
        reverse("journal:submission", kwargs={"pk": submission.pk}), {"action": "publish", "note": ""}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PUBLISHED
    page = client.get(reverse("journal:article", kwargs={"slug": article.slug})).text
    assert "Red Thread Center" in page


def test_my_articles_query_count(client, cast, django_assert_num_queries):
    for n in range(4):
        services.submit(cast.member, draft(cast), centers=[cast.center]) if n % 2 else draft(cast)
    client.force_login(cast.member)
    client.get(reverse("journal:my_articles"))
    with django_assert_num_queries(5):
        response = client.get(reverse("journal:my_articles"))
    assert response.text.count("Why we struck") == 4
    for _n in range(6):
        services.submit(cast.member, draft(cast), centers=[cast.center])
    with django_assert_num_queries(5):
        response = client.get(reverse("journal:my_articles"))
    assert response.text.count("Why we struck") == 10


IDOR_GET = ["article", "article_edit", "article_history", "article_submit"]


@pytest.mark.parametrize("who", ["outsider", "organiser", "admin", None])
def test_nobody_else_sees_a_draft(client, cast, who):
    article = draft(cast)
    [submission] = services.submit(cast.member, article, centers=[cast.center])
    if who:
        client.force_login(getattr(cast, who))
    for name in IDOR_GET:
        response = client.get(reverse(f"journal:{name}", kwargs={"slug": article.slug}))
        assert response.status_code in (302, 404), name
        assert "Why we struck" not in response.text
    for name in ("article_publish", "article_withdraw"):
        response = client.post(reverse(f"journal:{name}", kwargs={"slug": article.slug}))
        assert response.status_code in (302, 404), name
    response = client.get(reverse("journal:submission", kwargs={"pk": submission.pk}))
    assert response.status_code in (302, 404)
    response = client.post(reverse("journal:submission", kwargs={"pk": submission.pk}), {"action": "publish"})
    assert response.status_code in (302, 404)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    if who:
        assert "Why we struck" not in client.get(reverse("journal:desk")).text
    assert ArticleRevision.objects.count() == 1


def test_reviewing_editor_sees_but_cannot_edit(client, cast):
    article = draft(cast)
    services.submit(cast.member, article, centers=[cast.center])
    client.force_login(cast.editor)
    assert client.get(reverse("journal:article", kwargs={"slug": article.slug})).status_code == 200
    assert client.get(reverse("journal:article_edit", kwargs={"slug": article.slug})).status_code == 403
    assert client.post(reverse("journal:article_withdraw", kwargs={"slug": article.slug})).status_code == 403
    services.withdraw(cast.member, article)
    assert client.get(reverse("journal:article", kwargs={"slug": article.slug})).status_code == 404


def test_published_is_public(client, cast):
    article = draft(cast)
    services.publish_own(cast.member, article)
    page = client.get(reverse("journal:article", kwargs={"slug": article.slug})).text
    assert "Why we struck" in page
    assert "Mo Member" in page
    assert 'rel="license"' in page
    assert 'class="comments"' in page  # the item's comment thread (journal.item is commentable)


def test_link_page_escapes_and_has_comments(client, cast):
    from freshground.journal import links

    link = links.share(cast.member, url="https://example.org/x", comment="<script>alert(1)</script>", fetch=False).link
    page = client.get(reverse("journal:link", kwargs={"pk": link.pk})).text
    assert "&lt;script&gt;" in page
    assert "<script>alert(1)" not in page
    assert 'href="https://example.org/x"' in page
    assert 'class="comments"' in page
    assert client.get(reverse("journal:link", kwargs={"pk": link.pk + 99})).status_code == 404


def test_share_page(client, cast):
    client.force_login(cast.editor)
    response = client.get(reverse("journal:share"))
    assert "Red Thread Center" in response.text
    client.force_login(cast.outsider)
    response = client.get(reverse("journal:share"))
    assert "Red Thread Center" not in response.text
    response = client.post(
        reverse("journal:share"), {"url": "https://example.org/x", "place": "center:" + cast.center.slug}
    )
    assert response.status_code == 200  # not a choice for this person
