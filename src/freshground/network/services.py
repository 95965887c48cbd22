"""Every change to the network goes through here: one transaction per use case, refusals as domain errors."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.core.permissions import is_person
from freshground.core.text import clean_text, unique_slug
from freshground.network import permissions as perms
from freshground.network.models import (
    Center,
    CenterEditor,
    Circle,
    CircleKind,
    Follow,
    Invite,
    JoinPolicy,
    JoinRequest,
    MemberListVisibility,
    Membership,
    Role,
    Tie,
    TieWant,
)
from freshground.people.models import Person

CIRCLE_FIELDS = (
    "name",
    "description",
    "kind",
    "place_name",
    "latitude",
    "longitude",
    "join_policy",
    "member_list_visibility",
)
CENTER_FIELDS = ("name", "description", "tendency", "website")


def _clean_fields(values: dict[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key in allowed:
        if key in values:
            value = values[key]
            cleaned[key] = clean_text(value) if isinstance(value, str) else value
    return cleaned


CIRCLE_LIMITS = {"name": 120, "description": 10000, "place_name": 160}
CENTER_LIMITS = {"name": 120, "description": 10000, "tendency": 80, "website": 300}


def _check_lengths(values: dict[str, Any], limits: dict[str, int]) -> None:
    for key, limit in limits.items():
        value = values.get(key)
        if isinstance(value, str) and len(value) > limit:
            raise DomainError(_("At most %(n)d characters.") % {"n": limit}, field=key)


def _require_person(person: Any, message: str) -> None:
    if not is_person(person):
        raise PermissionDenied(message)


def _validate_circle(values: dict[str, Any]) -> None:
    if "name" in values and not values["name"]:
        raise DomainError(_("A circle needs a name."), field="name")
    _check_lengths(values, CIRCLE_LIMITS)
    if "kind" in values and values["kind"] not in CircleKind.values:
        raise DomainError(_("Choose one of the kinds of circle."), field="kind")
    if "join_policy" in values and values["join_policy"] not in JoinPolicy.values:
        raise DomainError(_("Choose how people join."), field="join_policy")
    if "member_list_visibility" in values and values["member_list_visibility"] not in MemberListVisibility.values:
        raise DomainError(_("Choose who sees the member list."), field="member_list_visibility")
    lat, lon = values.get("latitude"), values.get("longitude")
    if (lat is None) != (lon is None):
        raise DomainError(_("Give both latitude and longitude, or neither."), field="latitude")
    if lat is not None and not -90 <= lat <= 90:
        raise DomainError(_("Latitude must be between -90 and 90."), field="latitude")
    if lon is not None and not -180 <= lon <= 180:
        raise DomainError(_("Longitude must be between -180 and 180."), field="longitude")


# Circles


@transaction.atomic
def create_circle(*, person: Person, **values: Any) -> Circle:
    """Create a circle; its creator becomes its first organiser."""
    if not perms.can_create_circle(person):
        raise PermissionDenied(_("Sign in to start a circle."))
    fields = _clean_fields(values, CIRCLE_FIELDS)
    fields.setdefault("latitude", None)
    fields.setdefault("longitude", None)
    _validate_circle({**fields, "name": fields.get("name", "")})
    circle = Circle(**fields, created_by=person, member_count=1)
    circle.slug = unique_slug(Circle, values.get("slug") or fields["name"])
    circle.save()
    Membership.objects.create(circle=circle, person=person, role=Role.ORGANISER)
    return circle


@transaction.atomic
def update_circle(*, person: Person, circle: Circle, **values: Any) -> Circle:
    if not perms.can_edit_circle(person, circle):
        raise PermissionDenied(_("Only the circle's organisers can change it."))
    fields = _clean_fields(values, CIRCLE_FIELDS)
    merged = {"latitude": circle.latitude, "longitude": circle.longitude, **fields}
    _validate_circle(merged)
    for key, value in fields.items():
        setattr(circle, key, value)
    circle.save()
    return circle


def _add_member(circle: Circle, person: Person, role: str = Role.MEMBER) -> Membership:
    try:
        with transaction.atomic():
            membership = Membership.objects.create(circle=circle, person=person, role=role)
    except IntegrityError as error:
        raise Conflict(_("You are already a member of this circle.")) from error
    perms.forget_memberships(person)
    Circle.objects.filter(pk=circle.pk).update(member_count=F("member_count") + 1)
    circle.member_count += 1
    return membership


@transaction.atomic
def join_circle(*, person: Person, circle: Circle) -> Membership:
    if perms.is_member(person, circle):
        raise Conflict(_("You are already a member of this circle."))
    if not perms.can_join(person, circle):
        if perms.can_request_to_join(person, circle):
            raise PermissionDenied(_("This circle's organisers approve new members: send a request instead."))
        raise PermissionDenied(_("Sign in to join a circle."))
    return _add_member(circle, person)


@transaction.atomic
def request_to_join(*, person: Person, circle: Circle, message: str = "") -> JoinRequest:
    if not perms.can_request_to_join(person, circle):
        if perms.is_member(person, circle):
            raise Conflict(_("You are already a member of this circle."))
        if perms.can_join(person, circle):
            raise DomainError(_("This circle is open: you can join it straight away."))
        raise PermissionDenied(_("Sign in to ask to join."))
    if JoinRequest.objects.filter(circle=circle, person=person, status=JoinRequest.Status.PENDING).exists():
        raise Conflict(_("Your request is already waiting for the organisers."))
    return JoinRequest.objects.create(circle=circle, person=person, message=clean_text(message)[:1000])


@transaction.atomic
def decide_join_request(*, person: Person, join_request: JoinRequest, approve: bool) -> JoinRequest:
    circle = join_request.circle
    if not perms.can_manage_members(person, circle):
        raise PermissionDenied(_("Only the circle's organisers can answer requests."))
    if join_request.status != JoinRequest.Status.PENDING:
        raise Conflict(_("This request has already been answered."))
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_at"])
    if approve and not Membership.objects.filter(circle=circle, person=join_request.person).exists():
        _add_member(circle, join_request.person)
    return join_request


@transaction.atomic
def withdraw_join_request(*, person: Person, circle: Circle) -> None:
    _require_person(person, _("Sign in to withdraw a request."))
    updated = JoinRequest.objects.filter(circle=circle, person=person, status=JoinRequest.Status.PENDING).update(
        status=JoinRequest.Status.WITHDRAWN, decided_at=timezone.now()
    )
    if not updated:
        raise NotFound(_("You have no request waiting for this circle."))


def _organiser_count(circle: Circle) -> int:
    return Membership.objects.filter(circle=circle, role=Role.ORGANISER).count()


def _remove_membership(circle: Circle, membership: Membership, person: Person) -> None:
    membership.delete()
    perms.forget_memberships(person)
    Circle.objects.filter(pk=circle.pk).update(member_count=F("member_count") - 1)
    circle.member_count -= 1


@transaction.atomic
def leave_circle(*, person: Person, circle: Circle) -> None:
    _require_person(person, _("Sign in to leave a circle."))
    membership = Membership.objects.select_for_update().filter(circle=circle, person=person).first()
    if membership is None:
        raise NotFound(_("You are not a member of this circle."))
    others = Membership.objects.filter(circle=circle).exclude(pk=membership.pk)
    if membership.role == Role.ORGANISER and _organiser_count(circle) == 1 and others.exists():
        raise DomainError(_("You are this circle's only organiser. Make another member an organiser before you leave."))
    _remove_membership(circle, membership, person)


@transaction.atomic
def set_role(*, person: Person, circle: Circle, member: Person, role: str) -> Membership:
    """Promote a member to organiser or step an organiser back; a circle always keeps one organiser."""
    if not perms.can_manage_members(person, circle):
        raise PermissionDenied(_("Only the circle's organisers can change roles."))
    if role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    membership = Membership.objects.select_for_update().filter(circle=circle, person=member).first()
    if membership is None:
        raise NotFound(_("That person is not a member of this circle."))
    if membership.role == Role.ORGANISER and role != Role.ORGANISER and _organiser_count(circle) == 1:
        raise DomainError(_("A circle always keeps at least one organiser."))
    membership.role = role
    membership.save(update_fields=["role"])
    perms.forget_memberships(member)
    return membership


@transaction.atomic
def remove_member(*, person: Person, circle: Circle, member: Person) -> None:
    if not perms.can_manage_members(person, circle):
        raise PermissionDenied(_("Only the circle's organisers can remove members."))
    membership = Membership.objects.select_for_update().filter(circle=circle, person=member).first()
    if membership is None:
        raise NotFound(_("That person is not a member of this circle."))
    if membership.role == Role.ORGANISER and _organiser_count(circle) == 1:
        raise DomainError(_("A circle always keeps at least one organiser."))
    _remove_membership(circle, membership, member)


@transaction.atomic
def create_invite(*, person: Person, circle: Circle, max_uses: int = 25, days: int = 14) -> Invite:
    if not perms.can_manage_members(person, circle):
        raise PermissionDenied(_("Only the circle's organisers can make invitation links."))
    if not 1 <= max_uses <= 1000:
        raise DomainError(_("An invitation can be used between 1 and 1000 times."), field="max_uses")
    if not 1 <= days <= 90:
        raise DomainError(_("An invitation lasts between 1 and 90 days."), field="days")
    return Invite.objects.create(
        circle=circle, created_by=person, max_uses=max_uses, expires_at=timezone.now() + timedelta(days=days)
    )


@transaction.atomic
def revoke_invite(*, person: Person, invite: Invite) -> None:
    if not perms.can_manage_members(person, invite.circle):
        raise PermissionDenied(_("Only the circle's organisers can withdraw invitation links."))
    invite.revoked = True
    invite.save(update_fields=["revoked"])


@transaction.atomic
def accept_invite(*, person: Person, token: str) -> Membership:
    invite = Invite.objects.select_for_update().select_related("circle").filter(token=token).first()
    if invite is None or not invite.is_usable:
        raise NotFound(_("This invitation link has expired or was withdrawn. Ask the circle for a new one."))
    if not is_person(person):
        raise PermissionDenied(_("Sign in to accept the invitation."))
    existing = Membership.objects.filter(circle=invite.circle, person=person).first()
    if existing is not None:
        return existing
    membership = _add_member(invite.circle, person)
    Invite.objects.filter(pk=invite.pk).update(uses=F("uses") + 1)
    JoinRequest.objects.filter(circle=invite.circle, person=person, status=JoinRequest.Status.PENDING).update(
        status=JoinRequest.Status.APPROVED, decided_at=timezone.now()
    )
    return membership


# Centers


def _validate_center(values: dict[str, Any]) -> None:
    if "name" in values and not values["name"]:
        raise DomainError(_("A center needs a name."), field="name")
    _check_lengths(values, CENTER_LIMITS)
    website = values.get("website") or ""
    if website and not website.startswith(("https://", "http://")):
        raise DomainError(_("The website must start with https:// or http://."), field="website")


@transaction.atomic
def create_center(*, person: Person, **values: Any) -> Center:
    """Set up a center; its creator becomes its first editor."""
    if not perms.can_create_center(person):
        raise PermissionDenied(_("Sign in to set up a center."))
    fields = _clean_fields(values, CENTER_FIELDS)
    _validate_center({**fields, "name": fields.get("name", "")})
    center = Center(**fields, created_by=person)
    center.slug = unique_slug(Center, values.get("slug") or fields["name"])
    center.save()
    CenterEditor.objects.create(center=center, person=person)
    return center


@transaction.atomic
def update_center(*, person: Person, center: Center, **values: Any) -> Center:
    if not perms.can_edit_center(person, center):
        raise PermissionDenied(_("Only the center's editors can change it."))
    fields = _clean_fields(values, CENTER_FIELDS)
    _validate_center(fields)
    for key, value in fields.items():
        setattr(center, key, value)
    center.save()
    return center


@transaction.atomic
def add_center_editor(*, person: Person, center: Center, editor: Person) -> CenterEditor:
    if not perms.can_manage_editors(person, center):
        raise PermissionDenied(_("Only the center's editors can add editors."))
    editorship, _created = CenterEditor.objects.get_or_create(center=center, person=editor)
    return editorship


@transaction.atomic
def remove_center_editor(*, person: Person, center: Center, editor: Person) -> None:
    if not perms.can_manage_editors(person, center):
        raise PermissionDenied(_("Only the center's editors can remove editors."))
    editors = CenterEditor.objects.select_for_update().filter(center=center)
    if not editors.filter(person=editor).exists():
        raise NotFound(_("That person is not an editor of this center."))
    if editors.count() == 1:
        raise DomainError(_("A center always keeps at least one editor."))
    editors.filter(person=editor).delete()


# Ties


def _clean_wants(wants: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(wants))
    unknown = [w for w in chosen if w not in TieWant.values]
    if unknown:
        raise DomainError(_("Unknown choice: %(choice)s.") % {"choice": ", ".join(map(str, unknown))}, field="wants")
    return [w for w in TieWant.values if w in chosen]


@transaction.atomic
def declare_tie(*, person: Person, circle: Circle, center: Center, wants: Iterable[str] = (), note: str = "") -> Tie:
    """The circle's organisers tie it to a center and say what they want from it."""
    if not perms.can_declare_tie(person, circle):
        raise PermissionDenied(_("Only the circle's organisers can tie it to a center."))
    if Tie.objects.active().filter(circle=circle, center=center).exists():
        raise Conflict(_("This circle is already tied to %(center)s.") % {"center": center.name})
    tie = Tie.objects.create(
        circle=circle, center=center, wants=_clean_wants(wants), note=clean_text(note)[:2000], declared_by=person
    )
    Center.objects.filter(pk=center.pk).update(tie_count=F("tie_count") + 1)
    return tie


@transaction.atomic
def update_tie(*, person: Person, tie: Tie, wants: Iterable[str], note: str | None = None) -> Tie:
    if not perms.can_declare_tie(person, tie.circle) or not tie.is_active:
        raise PermissionDenied(_("Only the circle's organisers can change its ties."))
    tie.wants = _clean_wants(wants)
    if note is not None:
        tie.note = clean_text(note)[:2000]
    tie.save(update_fields=["wants", "note"])
    return tie


@transaction.atomic
def end_tie(*, person: Person, tie: Tie) -> Tie:
    if not perms.can_end_tie(person, tie.circle):
        raise PermissionDenied(_("Only the circle's organisers can end its ties."))
    if not tie.is_active:
        raise Conflict(_("This tie has already ended."))
    tie.ended_at = timezone.now()
    tie.save(update_fields=["ended_at"])
    Center.objects.filter(pk=tie.center_id).update(tie_count=F("tie_count") - 1)
    return tie


@transaction.atomic
def acknowledge_tie(*, person: Person, tie: Tie) -> Tie:
    if not perms.can_acknowledge_tie(person, tie.center):
        raise PermissionDenied(_("Only the center's editors can acknowledge a tie."))
    if not tie.is_active:
        raise Conflict(_("This tie has ended."))
    if tie.acknowledged_at is None:
        tie.acknowledged_at = timezone.now()
        tie.save(update_fields=["acknowledged_at"])
    return tie


# Follows


@transaction.atomic
def follow(*, person: Person, circle: Circle | None = None, center: Center | None = None) -> Follow:
    if not perms.can_follow(person):
        raise PermissionDenied(_("Sign in to follow."))
    if (circle is None) == (center is None):
        raise DomainError(_("Follow either a circle or a center."))
    existing = Follow.objects.filter(person=person, circle=circle, center=center).first()
    if existing is not None:
        return existing
    created = Follow.objects.create(person=person, circle=circle, center=center)
    if circle is not None:
        Circle.objects.filter(pk=circle.pk).update(follower_count=F("follower_count") + 1)
    else:
        assert center is not None
        Center.objects.filter(pk=center.pk).update(follower_count=F("follower_count") + 1)
    return created


@transaction.atomic
def unfollow(*, person: Person, circle: Circle | None = None, center: Center | None = None) -> None:
    if not is_person(person):
        raise PermissionDenied(_("Sign in to follow."))
    deleted, _rows = Follow.objects.filter(person=person, circle=circle, center=center).delete()
    if deleted and circle is not None:
        Circle.objects.filter(pk=circle.pk).update(follower_count=F("follower_count") - 1)
    elif deleted and center is not None:
        Center.objects.filter(pk=center.pk).update(follower_count=F("follower_count") - 1)
