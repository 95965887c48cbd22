from __future__ import annotations

import pytest

from freshground.inquiries import permissions as perms
from freshground.inquiries.demo import load_demo_inquiries
from freshground.inquiries.models import Inquiry
from freshground.network.models import Role
from freshground.testing import factories

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_shows_results(client):
    circle = factories.CircleFactory(slug="glasgow-warehouse-circle")
    factories.add_member(circle, factories.PersonFactory(), Role.ORGANISER)
    assert load_demo_inquiries({}, {circle.slug: circle}, {}) == 2
    assert load_demo_inquiries({}, {circle.slug: circle}, {}) == 0
    inquiry = Inquiry.objects.get(status="published")
    assert inquiry.is_open()
    assert perms.reaches_k(inquiry)
    html = client.get(f"/inquiries/{inquiry.slug}/results/").content.decode()
    assert html.count('role="img"') == 4
