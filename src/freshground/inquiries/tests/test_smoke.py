from __future__ import annotations

import pytest

from freshground.inquiries.tests.helpers import fill, make_inquiry

pytestmark = pytest.mark.django_db


def test_pages_render(client, cast):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    fill(inquiry, 5)
    for url in ["/inquiries/", f"/inquiries/{inquiry.slug}/", f"/inquiries/{inquiry.slug}/results/"]:
        assert client.get(url).status_code == 200, url
    client.force_login(cast.organiser)
    for url in [
        "/inquiry-editor/",
        "/inquiry-editor/new/",
        f"/inquiry-editor/{inquiry.slug}/",
        f"/inquiry-editor/{inquiry.slug}/answers/",
        f"/inquiry-editor/{inquiry.slug}/export.csv",
    ]:
        assert client.get(url).status_code == 200, url


def test_the_inquiry_form_offers_the_bundled_sectors(client, cast):
    client.force_login(cast.organiser)
    page = client.get("/inquiry-editor/new/")
    assert page.status_code == 200
    assert "C — Manufacturing" in page.content.decode()
