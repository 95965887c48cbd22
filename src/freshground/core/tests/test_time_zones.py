"""Times are stored in UTC and shown in the viewer's zone: their profile's, else the browser's cookie."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from freshground.network import services
from freshground.network.models import Invite


@pytest.fixture
def invite(cast):
    created = services.create_invite(person=cast.organiser, circle=cast.circle)
    Invite.objects.filter(pk=created.pk).update(expires_at=datetime(2030, 1, 1, 23, 30, tzinfo=UTC))
    return created


def _shown_expiry(client, cast):
    """The invite's expiry as the invitations page shows it: the <time> element and its text."""
    html = client.get(reverse("network:circle_invites", args=[cast.circle.slug])).content.decode()
    start = html.index('<time datetime="')
    return html[start : html.index("</time>", start)]


def test_stored_in_utc(invite):
    stored = Invite.objects.get(pk=invite.pk).expires_at
    assert stored.utcoffset() == timedelta(0)


def test_profile_time_zone_wins(client, cast, invite):
    cast.organiser.time_zone = "Asia/Tokyo"
    cast.organiser.save()
    client.force_login(cast.organiser)
    shown = _shown_expiry(client, cast)
    # 23:30 UTC on 1 January is 08:30 on 2 January in Tokyo (UTC+9).
    assert 'datetime="2030-01-02T08:30:00+09:00"' in shown
    assert "Jan. 2, 2030" in shown


def test_browser_zone_cookie_for_people_without_a_zone(client, cast, invite):
    client.force_login(cast.organiser)
    client.cookies["fg_tz"] = "America/Chicago"
    shown = _shown_expiry(client, cast)
    assert 'datetime="2030-01-01T17:30:00-06:00"' in shown


def test_unknown_zone_cookie_falls_back_to_utc(client, cast, invite):
    client.force_login(cast.organiser)
    client.cookies["fg_tz"] = "Mars/Olympus_Mons"
    shown = _shown_expiry(client, cast)
    assert 'datetime="2030-01-01T23:30:00+00:00"' in shown
    assert timezone.get_current_timezone_name() == "UTC"
