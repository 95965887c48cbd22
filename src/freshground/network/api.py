"""Network API: circles, centers, ties, memberships and follows.

Every write goes through network.services; every "who may see this" question goes to network.permissions. Lists are
paginated by page number (?page=&page_size=) and cost a fixed number of queries whatever the page size.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from freshground.api import AUTH, OPTIONAL_AUTH
from freshground.core.exceptions import NotFound, PermissionDenied
from freshground.network import permissions as perms
from freshground.network import queries, services
from freshground.network.models import (
    Center,
    CenterEditor,
    Circle,
    Follow,
    Invite,
    JoinRequest,
    Membership,
    Tie,
)
from freshground.network.schemas import (
    CenterDetailOut,
    CenterFilters,
    CenterIn,
    CenterPatch,
    CenterSummaryOut,
    CenterTieFilters,
    CenterTieOut,
    CircleDetailOut,
    CircleFilters,
    CircleIn,
    CircleListItemOut,
    CirclePatch,
    CircleSummaryOut,
    EditorIn,
    EditorOut,
    FollowOut,
    InviteIn,
    InviteOut,
    JoinRequestFilters,
    JoinRequestIn,
    JoinRequestOut,
    MemberOut,
    MembershipOut,
    RoleIn,
    TieIn,
    TieOut,
    TiePatch,
)
from freshground.people.api import ERRORS, actor, viewer
from freshground.people.models import Person

router = Router(tags=["network"])

DETAIL_MEMBERS = 50
DETAIL_TIES = 100


# Look-ups: an unknown slug or id is a 404 JSON answer, never a 500.


def _circle(slug: str) -> Circle:
    circle = queries.circle_by_slug(slug)
    if circle is None:
        raise NotFound(_("No circle is called “%(slug)s”.") % {"slug": slug[:80]})
    return circle


def _center(slug: str, *, field: str | None = None) -> Center:
    center = queries.center_by_slug(slug)
    if center is None:
        raise NotFound(_("No center is called “%(slug)s”.") % {"slug": slug[:80]}, field=field)
    return center


def _tie(tie_id: int) -> Tie:
    tie = queries.tie_by_pk(tie_id)
    if tie is None:
        raise NotFound(_("No such tie."))
    return tie


def _person(person_id: int) -> Person:
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise NotFound(_("No such person."))
    return person


def _join_request(circle: Circle, request_id: int) -> JoinRequest:
    join_request = queries.join_request_in(circle, request_id)
    if join_request is None:
        raise NotFound(_("No such request for this circle."))
    return join_request


def _membership(circle: Circle, person: Person) -> Membership:
    return Membership.objects.select_related("circle", "person").get(circle=circle, person=person)


# Reads with a fixed query count.


def _circles(filters: CircleFilters) -> QuerySet[Circle]:
    point = filters.point()
    near = queries.Near(latitude=point[0], longitude=point[1], km=filters.km) if point else None
    return queries.circles_matching(
        queries.CircleFilters(text=filters.q or "", kind=filters.kind or "", place=filters.place or "", near=near)
    )


def _circle_ties(circle: Circle) -> list[Tie]:
    return list(Tie.objects.active().filter(circle=circle).select_related("center")[:DETAIL_TIES])


def _circle_detail(request: HttpRequest, circle: Circle) -> dict[str, Any]:
    who = viewer(request)
    state = queries.viewer_state(who, circle, fresh=True)
    members = list(queries.members_of(circle)[:DETAIL_MEMBERS]) if perms.can_see_members(who, circle) else None
    return {
        **CircleSummaryOut.model_validate(circle).model_dump(),
        "description": circle.description,
        "ties": _circle_ties(circle),
        "members": members,
        "you": {
            "is_member": state.is_member,
            "role": state.membership.role if state.membership is not None else None,
            "request_pending": state.pending_request is not None,
            "following": state.following,
            "can_edit": perms.can_edit_circle(who, circle),
            "can_manage_members": state.can_manage,
            "can_join": state.can_join,
            "can_request_to_join": state.can_request,
            "can_declare_tie": perms.can_declare_tie(who, circle),
        },
    }


def _center_detail(request: HttpRequest, center: Center) -> dict[str, Any]:
    who = viewer(request)
    ties = (
        list(Tie.objects.active().filter(center=center).select_related("circle")[:DETAIL_TIES])
        if perms.can_see_tied_circles(who, center)
        else []
    )
    editors = None
    if perms.can_manage_editors(who, center):
        editors = [editorship.person for editorship in queries.center_editors(center)]
    return {
        **CenterSummaryOut.model_validate(center).model_dump(),
        "description": center.description,
        "created_at": center.created_at,
        "ties": ties,
        "editors": editors,
        "you": {"following": queries.center_follow_state(who, center), "can_edit": perms.can_edit_center(who, center)},
    }


# Circles


@router.get("/circles", auth=OPTIONAL_AUTH, response={200: list[CircleListItemOut], **ERRORS})
@paginate(PageNumberPagination)
def list_circles(request: HttpRequest, filters: Query[CircleFilters]) -> QuerySet[Circle]:
    """The circle directory. Filter by words (q), kind, place, or near=lat,lon within km."""
    return _circles(filters)


@router.post("/circles", auth=AUTH, response={201: CircleDetailOut, **ERRORS})
def create_circle(request: HttpRequest, payload: CircleIn) -> Status[dict[str, Any]]:
    """Start a circle; you become its first organiser."""
    circle = services.create_circle(person=actor(request), **payload.model_dump(exclude_unset=True))
    return Status(201, _circle_detail(request, circle))


@router.get("/circles/{slug}", auth=OPTIONAL_AUTH, response={200: CircleDetailOut, **ERRORS})
def get_circle(request: HttpRequest, slug: str) -> dict[str, Any]:
    """A circle, its active ties and, if the caller may see them, its first members."""
    return _circle_detail(request, _circle(slug))


@router.patch("/circles/{slug}", auth=AUTH, response={200: CircleDetailOut, **ERRORS})
def update_circle(request: HttpRequest, slug: str, payload: CirclePatch) -> dict[str, Any]:
    """Change a circle (organisers)."""
    circle = services.update_circle(
        person=actor(request), circle=_circle(slug), **payload.model_dump(exclude_unset=True)
    )
    return _circle_detail(request, circle)


@router.get("/circles/{slug}/members", auth=OPTIONAL_AUTH, response={200: list[MemberOut], **ERRORS})
@paginate(PageNumberPagination)
def list_members(request: HttpRequest, slug: str) -> QuerySet[Membership]:
    """Who is in the circle. A members-only list is refused (403) to everyone else."""
    circle = _circle(slug)
    if not perms.can_see_members(viewer(request), circle):
        raise PermissionDenied(_("Only this circle's members can see who is in it."))
    return queries.members_of(circle)


@router.post("/circles/{slug}/join", auth=AUTH, response={201: MembershipOut, **ERRORS})
def join_circle(request: HttpRequest, slug: str) -> Status[Membership]:
    """Join an open circle at once. A circle whose organisers approve members takes a request instead."""
    person, circle = actor(request), _circle(slug)
    services.join_circle(person=person, circle=circle)
    return Status(201, _membership(circle, person))


@router.post("/circles/{slug}/leave", auth=AUTH, response={204: None, **ERRORS})
def leave_circle(request: HttpRequest, slug: str) -> Status[None]:
    services.leave_circle(person=actor(request), circle=_circle(slug))
    return Status(204, None)


@router.post("/circles/{slug}/requests", auth=AUTH, response={201: JoinRequestOut, **ERRORS})
def request_to_join(request: HttpRequest, slug: str, payload: JoinRequestIn) -> Status[JoinRequest]:
    """Ask the organisers of an approval circle to let you in."""
    join_request = services.request_to_join(person=actor(request), circle=_circle(slug), message=payload.message)
    return Status(201, join_request)


@router.get("/circles/{slug}/requests", auth=AUTH, response={200: list[JoinRequestOut], **ERRORS})
@paginate(PageNumberPagination)
def list_requests(request: HttpRequest, slug: str, filters: Query[JoinRequestFilters]) -> QuerySet[JoinRequest]:
    """Requests to join (organisers), waiting ones unless status says otherwise."""
    circle = _circle(slug)
    if not perms.can_manage_members(actor(request), circle):
        raise PermissionDenied(_("Only the circle's organisers can see requests to join."))
    return JoinRequest.objects.filter(circle=circle, status=filters.status).select_related("circle", "person")


@router.post("/circles/{slug}/requests/{int:request_id}/approve", auth=AUTH, response={200: JoinRequestOut, **ERRORS})
def approve_request(request: HttpRequest, slug: str, request_id: int) -> JoinRequest:
    join_request = _join_request(_circle(slug), request_id)
    return services.decide_join_request(person=actor(request), join_request=join_request, approve=True)


@router.post("/circles/{slug}/requests/{int:request_id}/decline", auth=AUTH, response={200: JoinRequestOut, **ERRORS})
def decline_request(request: HttpRequest, slug: str, request_id: int) -> JoinRequest:
    join_request = _join_request(_circle(slug), request_id)
    return services.decide_join_request(person=actor(request), join_request=join_request, approve=False)


@router.put("/circles/{slug}/members/{int:person_id}/role", auth=AUTH, response={200: MemberOut, **ERRORS})
def set_role(request: HttpRequest, slug: str, person_id: int, payload: RoleIn) -> Membership:
    """Make a member an organiser, or step an organiser back (organisers). A circle keeps at least one."""
    circle, member = _circle(slug), _person(person_id)
    services.set_role(person=actor(request), circle=circle, member=member, role=payload.role)
    return _membership(circle, member)


@router.delete("/circles/{slug}/members/{int:person_id}", auth=AUTH, response={204: None, **ERRORS})
def remove_member(request: HttpRequest, slug: str, person_id: int) -> Status[None]:
    """Remove someone from the circle (organisers)."""
    services.remove_member(person=actor(request), circle=_circle(slug), member=_person(person_id))
    return Status(204, None)


@router.post("/circles/{slug}/invites", auth=AUTH, response={201: InviteOut, **ERRORS})
def create_invite(request: HttpRequest, slug: str, payload: InviteIn) -> Status[Invite]:
    """An invitation token (organisers): whoever accepts it joins, even a circle that needs approval."""
    invite = services.create_invite(
        person=actor(request), circle=_circle(slug), max_uses=payload.max_uses, days=payload.days
    )
    return Status(201, invite)


@router.post("/invites/{token}/accept", auth=AUTH, response={200: MembershipOut, **ERRORS})
def accept_invite(request: HttpRequest, token: str) -> Membership:
    person = actor(request)
    membership = services.accept_invite(person=person, token=token[:64])
    return _membership(membership.circle, person)


# Ties


@router.post("/circles/{slug}/ties", auth=AUTH, response={201: TieOut, **ERRORS})
def declare_tie(request: HttpRequest, slug: str, payload: TieIn) -> Status[Tie]:
    """Tie the circle to a center and say what it wants from it (organisers). It gives the center no power."""
    tie = services.declare_tie(
        person=actor(request),
        circle=_circle(slug),
        center=_center(payload.center, field="center"),
        wants=payload.wants,
        note=payload.note,
    )
    return Status(201, _tie(tie.pk))


@router.patch("/ties/{int:tie_id}", auth=AUTH, response={200: TieOut, **ERRORS})
def update_tie(request: HttpRequest, tie_id: int, payload: TiePatch) -> Tie:
    tie = _tie(tie_id)
    wants = payload.wants if payload.wants is not None else list(tie.wants)
    return services.update_tie(person=actor(request), tie=tie, wants=wants, note=payload.note)


@router.post("/ties/{int:tie_id}/end", auth=AUTH, response={200: TieOut, **ERRORS})
def end_tie(request: HttpRequest, tie_id: int) -> Tie:
    """End a tie (the circle's organisers). It stays on record as history."""
    return services.end_tie(person=actor(request), tie=_tie(tie_id))


@router.post("/ties/{int:tie_id}/acknowledge", auth=AUTH, response={200: TieOut, **ERRORS})
def acknowledge_tie(request: HttpRequest, tie_id: int) -> Tie:
    """Say the center has seen the tie (the center's editors)."""
    return services.acknowledge_tie(person=actor(request), tie=_tie(tie_id))


# Centers


@router.get("/centers", auth=OPTIONAL_AUTH, response={200: list[CenterSummaryOut], **ERRORS})
@paginate(PageNumberPagination)
def list_centers(request: HttpRequest, filters: Query[CenterFilters]) -> QuerySet[Center]:
    """The center directory. q searches name, description and tendency; tendency matches one exactly."""
    return queries.centers_matching(filters.q or "", filters.tendency or "")


@router.post("/centers", auth=AUTH, response={201: CenterDetailOut, **ERRORS})
def create_center(request: HttpRequest, payload: CenterIn) -> Status[dict[str, Any]]:
    """Set up a center; you become its first editor."""
    center = services.create_center(person=actor(request), **payload.model_dump(exclude_unset=True))
    return Status(201, _center_detail(request, center))


@router.get("/centers/{slug}", auth=OPTIONAL_AUTH, response={200: CenterDetailOut, **ERRORS})
def get_center(request: HttpRequest, slug: str) -> dict[str, Any]:
    """A center and the circles that tie themselves to it."""
    return _center_detail(request, _center(slug))


@router.patch("/centers/{slug}", auth=AUTH, response={200: CenterDetailOut, **ERRORS})
def update_center(request: HttpRequest, slug: str, payload: CenterPatch) -> dict[str, Any]:
    center = services.update_center(
        person=actor(request), center=_center(slug), **payload.model_dump(exclude_unset=True)
    )
    return _center_detail(request, center)


@router.get("/centers/{slug}/ties", auth=OPTIONAL_AUTH, response={200: list[CenterTieOut], **ERRORS})
@paginate(PageNumberPagination)
def list_center_ties(request: HttpRequest, slug: str, filters: Query[CenterTieFilters]) -> QuerySet[Tie]:
    """The circles tied to a center, newest first; ended ties too with include_ended=true."""
    center = _center(slug)
    if not perms.can_see_tied_circles(viewer(request), center):
        raise PermissionDenied(_("You may not see the circles tied to this center."))
    ties = Tie.objects.filter(center=center).select_related("circle")
    return ties if filters.include_ended else ties.active()


@router.post("/centers/{slug}/editors", auth=AUTH, response={201: EditorOut, **ERRORS})
def add_editor(request: HttpRequest, slug: str, payload: EditorIn) -> Status[CenterEditor]:
    """Add an editor by e-mail address (the center's editors)."""
    person, center = actor(request), _center(slug)
    # Ask first, so that only editors learn whether an address has an account.
    if not perms.can_manage_editors(person, center):
        raise PermissionDenied(_("Only the center's editors can add editors."))
    editor = queries.person_by_email(payload.email)
    if editor is None:
        raise NotFound(_("No one has signed up with that e-mail address."), field="email")
    editorship = services.add_center_editor(person=person, center=center, editor=editor)
    return Status(201, CenterEditor.objects.select_related("person").get(pk=editorship.pk))


@router.delete("/centers/{slug}/editors/{int:person_id}", auth=AUTH, response={204: None, **ERRORS})
def remove_editor(request: HttpRequest, slug: str, person_id: int) -> Status[None]:
    services.remove_center_editor(person=actor(request), center=_center(slug), editor=_person(person_id))
    return Status(204, None)


# Follows and one's own network


@router.post("/circles/{slug}/follow", auth=AUTH, response={200: FollowOut, **ERRORS})
def follow_circle(request: HttpRequest, slug: str) -> Follow:
    """Follow a circle without joining it. Following twice is harmless."""
    return services.follow(person=actor(request), circle=_circle(slug))


@router.delete("/circles/{slug}/follow", auth=AUTH, response={204: None, **ERRORS})
def unfollow_circle(request: HttpRequest, slug: str) -> Status[None]:
    services.unfollow(person=actor(request), circle=_circle(slug))
    return Status(204, None)


@router.post("/centers/{slug}/follow", auth=AUTH, response={200: FollowOut, **ERRORS})
def follow_center(request: HttpRequest, slug: str) -> Follow:
    """Follow a center. Following twice is harmless."""
    return services.follow(person=actor(request), center=_center(slug))


@router.delete("/centers/{slug}/follow", auth=AUTH, response={204: None, **ERRORS})
def unfollow_center(request: HttpRequest, slug: str) -> Status[None]:
    services.unfollow(person=actor(request), center=_center(slug))
    return Status(204, None)


@router.get("/me/follows", auth=AUTH, response={200: list[FollowOut], **ERRORS})
@paginate(PageNumberPagination)
def my_follows(request: HttpRequest) -> QuerySet[Follow]:
    return Follow.objects.filter(person=actor(request)).select_related("circle", "center").order_by("-created_at", "id")


@router.get("/me/memberships", auth=AUTH, response={200: list[MembershipOut], **ERRORS})
@paginate(PageNumberPagination)
def my_memberships(request: HttpRequest) -> QuerySet[Membership]:
    return Membership.objects.filter(person=actor(request)).select_related("circle").order_by("circle__name", "id")
