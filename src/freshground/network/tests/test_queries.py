# factory_boy factories are typed as the factory, not the model they build:
# mypy: disable-error-code="arg-type,attr-defined,comparison-overlap,misc"
"""The network's reads: filters, the near-me bounding box, and what each page gets."""

from __future__ import annotations

import pytest

from freshground.network import queries, services
from freshground.network.models import JoinPolicy, MemberListVisibility, Role
from freshground.network.queries import CircleFilters, Near
from freshground.testing import factories

pytestmark = pytest.mark.django_db


def test_bounding_box_simple():
    (south, north), lons = Near(latitude=50.0, longitude=10.0, km=111.32).bounding_box()
    assert south == pytest.approx(49.0)
    assert north == pytest.approx(51.0)
    assert len(lons) == 1
    west, east = lons[0]
    assert west < 10 - 1 < 10 + 1 < east  # longitude degrees are shorter away from the equator


def test_bounding_box_wraps_the_antimeridian():
    _lat, lons = Near(latitude=0.0, longitude=179.5, km=111.32).bounding_box()
    assert lons == [(pytest.approx(178.5), 180.0), (-180.0, pytest.approx(-179.5))]


def test_bounding_box_near_a_pole_takes_every_longitude():
    (_south, north), lons = Near(latitude=89.5, longitude=0.0, km=200).bounding_box()
    assert north == 90.0
    assert lons == [(-180.0, 180.0)]


def test_circles_matching_combines_filters(db):
    factories.CircleFactory(name="A", kind="city", place_name="Leeds", latitude=53.8, longitude=-1.55)
    factories.CircleFactory(name="B", kind="workplace", place_name="Leeds", latitude=53.8, longitude=-1.56)
    factories.CircleFactory(name="C", kind="city", place_name="York", latitude=53.96, longitude=-1.08)
    near_leeds = Near(latitude=53.8, longitude=-1.55, km=10)
    found = queries.circles_matching(CircleFilters(kind="city", near=near_leeds))
    assert [c.name for c in found] == ["A"]
    assert [c.name for c in queries.circles_matching(CircleFilters(place="york"))] == ["C"]
    assert not CircleFilters().active
    assert CircleFilters(near=near_leeds).active


def test_directory_page_prefetches_active_ties_only(db):
    circle = factories.CircleFactory()
    ended = factories.CenterFactory(name="Ended")
    kept = factories.CenterFactory(name="Kept")
    organiser = factories.PersonFactory()
    factories.add_member(circle, organiser, Role.ORGANISER)
    old = factories.tie(circle, ended)
    factories.tie(circle, kept)
    services.end_tie(person=organiser, tie=old)
    page = queries.circle_directory(CircleFilters(), 1)
    (only,) = list(page)
    assert [tie.center.name for tie in only.active_ties] == ["Kept"]


def test_circle_page_hides_members_only_list(cast):
    for viewer in (cast.outsider, cast.editor):
        page = queries.circle_page(viewer, cast.circle)
        assert not page.can_see_members
        assert page.members == []
    page = queries.circle_page(cast.member, cast.circle)
    assert page.can_see_members
    assert [m.person for m in page.members] == [cast.organiser, cast.member]  # organisers first


def test_circle_page_public_list_and_more_members(db, monkeypatch):
    monkeypatch.setattr(queries, "CIRCLE_PAGE_MEMBERS", 2)
    circle = factories.CircleFactory(member_list_visibility=MemberListVisibility.PUBLIC)
    for _ in range(3):
        factories.add_member(circle, factories.PersonFactory())
    page = queries.circle_page(None, circle)
    assert len(page.members) == 2
    assert page.more_members


def test_viewer_state_follows_the_viewer(cast):
    cast.circle.join_policy = JoinPolicy.APPROVAL
    cast.circle.save()
    state = queries.viewer_state(cast.outsider, cast.circle)
    assert state.can_request
    assert not state.can_join
    assert state.pending_request is None
    services.request_to_join(person=cast.outsider, circle=cast.circle, message="hi")
    services.follow(person=cast.outsider, circle=cast.circle)
    state = queries.viewer_state(cast.outsider, cast.circle, fresh=True)
    assert state.pending_request is not None
    assert state.following
    organiser = queries.viewer_state(cast.organiser, cast.circle)
    assert organiser.is_organiser
    assert organiser.can_manage
    anonymous = queries.viewer_state(None, cast.circle)
    assert not anonymous.signed_in


def test_fresh_state_forgets_cached_membership(cast):
    assert not queries.viewer_state(cast.outsider, cast.circle).is_member  # caches "not a member"
    services.join_circle(person=cast.outsider, circle=cast.circle)
    assert queries.viewer_state(cast.outsider, cast.circle, fresh=True).is_member


def test_center_page(cast):
    other_circle = factories.CircleFactory(name="Another")
    factories.add_member(other_circle, cast.organiser, Role.ORGANISER)
    page = queries.center_page(cast.organiser, cast.center)
    assert not page.can_edit
    assert [tie.circle for tie in page.ties] == [cast.circle]
    assert page.circles_to_tie == [other_circle]  # already tied circles are not offered again
    assert queries.center_page(cast.editor, cast.center).can_edit
    assert queries.center_page(cast.admin, cast.center).can_edit
    assert not queries.center_page(None, cast.center).signed_in


def test_tendencies_are_distinct_and_sorted(db):
    factories.CenterFactory(tendency="b")
    factories.CenterFactory(tendency="a")
    factories.CenterFactory(tendency="b")
    factories.CenterFactory(tendency="")
    assert queries.tendencies() == ["a", "b"]


def test_tie_center_choices_exclude_tied_centers(cast):
    other = factories.CenterFactory(name="Other")
    assert list(queries.tie_center_choices(cast.circle)) == [other]
    assert list(queries.tie_center_choices(cast.circle, "nothing")) == []


def test_person_by_email_ignores_case_and_inactive(cast):
    assert queries.person_by_email(cast.member.email.upper()) == cast.member
    cast.member.is_active = False
    cast.member.save()
    assert queries.person_by_email(cast.member.email) is None
