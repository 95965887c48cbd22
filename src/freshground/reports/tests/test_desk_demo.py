"""The demo loader: desks, published reports (wins among them) from several sectors and cities, one pending report
with a question, the passphrase that opens it, and a second run that creates nothing."""

from __future__ import annotations

import pytest

from freshground.network.models import Role
from freshground.reports import passphrase
from freshground.reports.demo import DEMO_PASSPHRASE, PENDING_QUESTION, load_demo_reports
from freshground.reports.models import Desk, Report, ReportStatus
from freshground.testing import factories

pytestmark = pytest.mark.django_db


def test_demo_reports_load_once():
    people = {
        "admin": factories.PersonFactory.create(display_name="Admin", is_staff=True, is_superuser=True),
        "organiser": factories.PersonFactory.create(display_name="Organiser"),
        "editor": factories.PersonFactory.create(display_name="Editor"),
    }
    circle = factories.CircleFactory.create(name="Leeds Infirmary Workers", slug="leeds-infirmary-workers")
    factories.add_member(circle, people["organiser"], Role.ORGANISER)
    center = factories.CenterFactory.create(name="Common Ground Press", slug="common-ground-press")
    factories.add_editor(center, people["editor"])
    circles = {"leeds-infirmary-workers": circle}
    centers = {"common-ground-press": center}

    created = load_demo_reports(people, circles, centers)
    assert created == Report.objects.count() == 8
    assert Desk.objects.count() == 3
    published = Report.objects.filter(status=ReportStatus.PUBLISHED)
    assert published.count() == 7
    assert published.filter(is_win=True).count() >= 3
    assert len(set(published.values_list("sector", flat=True))) >= 5
    assert len(set(published.values_list("published_version__region", flat=True))) >= 5
    assert not Report.objects.exclude(mode="member").filter(author__isnull=False).exists()

    pending = passphrase.open_report(DEMO_PASSPHRASE)
    assert pending is not None
    assert pending.status == ReportStatus.AWAITING_REPORTER
    assert pending.messages.get().body == PENDING_QUESTION
    assert pending.desks.get().circle == circle

    assert load_demo_reports(people, circles, centers) == 0
    assert Report.objects.count() == 8
