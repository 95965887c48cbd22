# mypy: disable-error-code="arg-type,attr-defined"
"""A person's articles and links in their data download; after account deletion published work stays, unsigned."""

from __future__ import annotations

import pytest

from freshground.journal import links
from freshground.journal import services_articles as services
from freshground.journal.models import Article, ArticleRevision, Item, LinkPost
from freshground.people import services as people_services

pytestmark = pytest.mark.django_db


def test_export_and_delete(cast):
    published = services.create_article(cast.member, title="Public piece", body="Text.")
    services.update_article(cast.member, published, title="Public piece", body="Text, revised.")
    [submission] = services.submit(cast.member, published, centers=[cast.center])
    services.add_note(cast.editor, submission, text="Fine.")
    services.publish_submission(cast.editor, submission)
    services.create_article(cast.member, title="Private draft", body="Secret.")
    links.share(cast.member, url="https://example.org/story", comment="Read", fetch=False)

    data = people_services.export_person_data(person=cast.member)["journal_articles"]
    titles = {a["title"] for a in data["articles"]}
    assert titles == {"Public piece", "Private draft"}
    piece = next(a for a in data["articles"] if a["title"] == "Public piece")
    assert [r["number"] for r in piece["revisions"]] == [1, 2]
    assert piece["submissions"][0]["notes"][0]["text"] == "Fine."
    assert data["links"][0]["url"] == "https://example.org/story"
    assert (
        people_services.export_person_data(person=cast.editor)["journal_articles"]["review_notes"][0]["text"] == "Fine."
    )

    people_services.delete_account(person=cast.member)
    assert not Article.objects.filter(title="Private draft").exists()
    kept = Article.objects.get(title="Public piece")
    assert kept.author is None
    assert ArticleRevision.objects.filter(article=kept).count() == 2
    item = Item.objects.get(article=kept)
    assert item.author is None
    assert item.author_name == "Red Thread Center (a former member)"
    assert "Mo Member" not in item.author_name
    link_item = Item.objects.get(link=LinkPost.objects.get())
    assert link_item.author_name == "a former member"
