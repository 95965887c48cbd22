import pytest

from freshground.core.exceptions import Conflict, DomainError, PermissionDenied
from freshground.network import services
from freshground.network.models import Membership, Role, Tie


def test_creator_becomes_first_organiser(cast):
    circle = services.create_circle(person=cast.outsider, name="Night Shift Drivers", kind="workplace")
    membership = Membership.objects.get(circle=circle)
    assert membership.person == cast.outsider
    assert membership.role == Role.ORGANISER
    assert circle.member_count == 1


def test_last_organiser_cannot_leave_while_others_remain(cast):
    with pytest.raises(DomainError):
        services.leave_circle(person=cast.organiser, circle=cast.circle)
    services.set_role(person=cast.organiser, circle=cast.circle, member=cast.member, role=Role.ORGANISER)
    services.leave_circle(person=cast.organiser, circle=cast.circle)
    cast.circle.refresh_from_db()
    assert cast.circle.member_count == 1


def test_tie_gives_center_no_power(cast):
    with pytest.raises(PermissionDenied):
        services.update_circle(person=cast.editor, circle=cast.circle, name="Taken over")
    with pytest.raises(PermissionDenied):
        services.remove_member(person=cast.editor, circle=cast.circle, member=cast.member)
    with pytest.raises(PermissionDenied):
        services.end_tie(person=cast.editor, tie=Tie.objects.get(circle=cast.circle))


def test_duplicate_active_tie_refused_then_allowed_after_ending(cast):
    tie = Tie.objects.get(circle=cast.circle)
    with pytest.raises(Conflict):
        services.declare_tie(person=cast.organiser, circle=cast.circle, center=cast.center)
    services.end_tie(person=cast.organiser, tie=tie)
    again = services.declare_tie(person=cast.organiser, circle=cast.circle, center=cast.center, wants=["advice"])
    assert again.wants == ["advice"]
