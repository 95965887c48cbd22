"""Reads for the network pages: each returns everything a page needs in a fixed number of queries."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, ExpressionWrapper, F, FloatField, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.safestring import SafeString

from freshground.core.permissions import is_person, is_site_admin
from freshground.core.text import render_markdown
from freshground.network import permissions as perms
from freshground.network.models import (
    Center,
    CenterEditor,
    Circle,
    Follow,
    Invite,
    JoinRequest,
    Membership,
    Role,
    Tie,
)
from freshground.people.models import Person

DIRECTORY_PAGE_SIZE = 24
MEMBERS_PAGE_SIZE = 100
CIRCLE_PAGE_MEMBERS = 60
KM_PER_DEGREE = 111.32


# Directories


@dataclass(frozen=True)
class Near:
    """A point and a radius: circles inside the bounding box around it, nearest first."""

    latitude: float
    longitude: float
    km: float

    def bounding_box(self) -> tuple[tuple[float, float], list[tuple[float, float]]]:
        """The latitude range and one or two longitude ranges (two when the box crosses the antimeridian)."""
        lat_delta = self.km / KM_PER_DEGREE
        south, north = max(-90.0, self.latitude - lat_delta), min(90.0, self.latitude + lat_delta)
        widest = max(abs(south), abs(north))
        cos_lat = math.cos(math.radians(widest))
        if widest >= 89.9 or cos_lat <= 0:
            return (south, north), [(-180.0, 180.0)]
        lon_delta = self.km / (KM_PER_DEGREE * cos_lat)
        if lon_delta >= 180:
            return (south, north), [(-180.0, 180.0)]
        west, east = self.longitude - lon_delta, self.longitude + lon_delta
        if west < -180:
            return (south, north), [(west + 360, 180.0), (-180.0, east)]
        if east > 180:
            return (south, north), [(west, 180.0), (-180.0, east - 360)]
        return (south, north), [(west, east)]


@dataclass(frozen=True)
class CircleFilters:
    text: str = ""
    kind: str = ""
    place: str = ""
    near: Near | None = None
    sort: str = ""

    @property
    def active(self) -> bool:
        return bool(self.text or self.kind or self.place or self.near)


CIRCLE_SORTS = ("name", "members", "newest")


def active_ties_prefetch(to_attr: str = "active_ties") -> Prefetch[Any, Any, Any]:
    """A circle's active ties with their centers, as circle.<to_attr> (a list): one query for a whole page."""
    ties = Tie.objects.active().select_related("center").order_by("center__name", "id")
    return Prefetch("ties", queryset=ties, to_attr=to_attr)


def circles_matching(filters: CircleFilters) -> QuerySet[Circle]:
    circles = Circle.objects.all()
    if filters.text:
        circles = circles.filter(
            Q(name__icontains=filters.text)
            | Q(description__icontains=filters.text)
            | Q(place_name__icontains=filters.text)
        )
    if filters.kind:
        circles = circles.filter(kind=filters.kind)
    if filters.place:
        circles = circles.filter(place_name__icontains=filters.place)
    ordering: list[Any] = ["name", "id"]
    if filters.near is not None:
        near = filters.near
        (south, north), lon_ranges = near.bounding_box()
        lon_q = Q()
        for west, east in lon_ranges:
            lon_q |= Q(longitude__gte=west, longitude__lte=east)
        circles = circles.filter(lon_q, latitude__gte=south, latitude__lte=north)
        cos_lat = math.cos(math.radians(near.latitude))
        d_lat = F("latitude") - Value(near.latitude)
        d_lon = (F("longitude") - Value(near.longitude)) * Value(cos_lat)
        circles = circles.annotate(
            distance_sq=ExpressionWrapper(d_lat * d_lat + d_lon * d_lon, output_field=FloatField())
        )
        ordering = ["distance_sq", "name", "id"]
    if filters.sort == "members":
        ordering = ["-member_count", "name", "id"]
    elif filters.sort == "newest":
        ordering = ["-created_at", "id"]
    return circles.order_by(*ordering)


def circle_directory(filters: CircleFilters, page_number: str | int | None) -> Page[Circle]:
    """One page of circles with the centers each is tied to: a count, the page, and the ties (3 queries)."""
    circles = circles_matching(filters).prefetch_related(active_ties_prefetch())
    return Paginator(circles, DIRECTORY_PAGE_SIZE).get_page(page_number)


def centers_matching(text: str = "", tendency: str = "") -> QuerySet[Center]:
    centers = Center.objects.all()
    if text:
        centers = centers.filter(Q(name__icontains=text) | Q(description__icontains=text) | Q(tendency__icontains=text))
    if tendency:
        centers = centers.filter(tendency__iexact=tendency)
    return centers.order_by("name", "id")


def center_directory(text: str, tendency: str, page_number: str | int | None) -> Page[Center]:
    return Paginator(centers_matching(text, tendency), DIRECTORY_PAGE_SIZE).get_page(page_number)


def tendencies() -> list[str]:
    """The distinct tendencies centers name, for the directory's filter."""
    values = Center.objects.exclude(tendency="").order_by("tendency").values_list("tendency", flat=True).distinct()
    return list(values)


# Circle pages


def forget_memberships(viewer: Any) -> None:
    """Drop the per-request membership cache (permissions.membership_of) after a write changed it."""
    perms.forget_memberships(viewer)


def circle_by_slug(slug: str) -> Circle | None:
    return Circle.objects.filter(slug=slug).first()


def members_of(circle: Circle) -> QuerySet[Membership]:
    """A circle's members, organisers first, then by name: the one order for pages and the API."""
    organisers_first = Case(When(role=Role.ORGANISER, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        Membership.objects.filter(circle=circle)
        .select_related("person")
        .order_by(organisers_first, "person__display_name", "id")
    )


@dataclass
class ViewerState:
    """Where the viewer stands with a circle: decides which buttons the action box shows."""

    circle: Circle
    signed_in: bool
    membership: Membership | None
    pending_request: JoinRequest | None
    following: bool
    can_join: bool
    can_request: bool
    can_manage: bool

    @property
    def is_member(self) -> bool:
        return self.membership is not None

    @property
    def is_organiser(self) -> bool:
        return self.membership is not None and self.membership.role == Role.ORGANISER


def viewer_state(viewer: Any, circle: Circle, *, fresh: bool = False) -> ViewerState:
    """At most three queries: the membership, a waiting request and a follow."""
    if fresh:
        forget_memberships(viewer)
    if not is_person(viewer):
        return ViewerState(circle, False, None, None, False, False, False, False)
    membership = perms.membership_of(viewer, circle)
    pending = None
    if membership is None:
        pending = JoinRequest.objects.filter(circle=circle, person=viewer, status=JoinRequest.Status.PENDING).first()
    following = Follow.objects.filter(person=viewer, circle=circle).exists()
    return ViewerState(
        circle=circle,
        signed_in=True,
        membership=membership,
        pending_request=pending,
        following=following,
        can_join=perms.can_join(viewer, circle),
        can_request=perms.can_request_to_join(viewer, circle),
        can_manage=perms.can_manage_members(viewer, circle),
    )


@dataclass
class CirclePage:
    circle: Circle
    description_html: SafeString
    ties: list[Tie]
    state: ViewerState
    can_see_members: bool
    members: list[Membership] = field(default_factory=list)
    more_members: bool = False
    can_edit: bool = False
    can_declare_tie: bool = False
    pending_request_count: int = 0


def circle_page(viewer: Any, circle: Circle) -> CirclePage:
    """The circle, its active ties with their centers, the viewer's standing and, if allowed, its members."""
    state = viewer_state(viewer, circle, fresh=True)
    ties = list(Tie.objects.active().filter(circle=circle).select_related("center").order_by("center__name", "id"))
    _mark_visible_notes(viewer, ties, circle=circle)
    can_see = perms.can_see_members(viewer, circle)
    page = CirclePage(
        circle=circle,
        description_html=render_markdown(circle.description),
        ties=ties,
        state=state,
        can_see_members=can_see,
        can_edit=perms.can_edit_circle(viewer, circle),
        can_declare_tie=perms.can_declare_tie(viewer, circle),
    )
    if can_see:
        members = list(members_of(circle)[: CIRCLE_PAGE_MEMBERS + 1])
        page.members = members[:CIRCLE_PAGE_MEMBERS]
        page.more_members = len(members) > CIRCLE_PAGE_MEMBERS
    if state.can_manage:
        page.pending_request_count = JoinRequest.objects.filter(
            circle=circle, status=JoinRequest.Status.PENDING
        ).count()
    return page


@dataclass
class MembersPage:
    circle: Circle
    state: ViewerState
    can_see_members: bool
    members: Page[Membership] | None
    pending_requests: list[JoinRequest]
    organiser_count: int


def members_page(viewer: Any, circle: Circle, page_number: str | int | None) -> MembersPage:
    state = viewer_state(viewer, circle, fresh=True)
    can_see = perms.can_see_members(viewer, circle)
    members = Paginator(members_of(circle), MEMBERS_PAGE_SIZE).get_page(page_number) if can_see else None
    pending: list[JoinRequest] = []
    organisers = 0
    if state.can_manage:
        pending = list(
            JoinRequest.objects.filter(circle=circle, status=JoinRequest.Status.PENDING)
            .select_related("person")
            .order_by("created_at", "id")
        )
        organisers = Membership.objects.filter(circle=circle, role=Role.ORGANISER).count()
    return MembersPage(circle, state, can_see, members, pending, organisers)


def join_request_in(circle: Circle, pk: int) -> JoinRequest | None:
    return JoinRequest.objects.filter(circle=circle, pk=pk).select_related("circle", "person").first()


def member_of(circle: Circle, person_pk: int) -> Person | None:
    return Person.objects.filter(memberships__circle=circle, pk=person_pk).first()


def invites_of(circle: Circle) -> list[Invite]:
    return list(Invite.objects.filter(circle=circle).select_related("created_by").order_by("-created_at", "-id"))


def invite_in(circle: Circle, pk: int) -> Invite | None:
    return Invite.objects.filter(circle=circle, pk=pk).select_related("circle").first()


def invite_by_token(token: str) -> Invite | None:
    return Invite.objects.filter(token=token).select_related("circle").first()


# Ties


def tie_by_pk(pk: int) -> Tie | None:
    return Tie.objects.filter(pk=pk).select_related("circle", "center").first()


def tie_center_choices(circle: Circle, search: str = "") -> QuerySet[Center]:
    """Centers a circle may tie itself to: those it is not already tied to, optionally narrowed by a search."""
    tied = Tie.objects.active().filter(circle=circle).values("center_id")
    return centers_matching(search).exclude(pk__in=tied)


# Centers


def center_by_slug(slug: str) -> Center | None:
    return Center.objects.filter(slug=slug).first()


@dataclass
class CenterPage:
    center: Center
    description_html: SafeString
    editors: list[CenterEditor]
    ties: Page[Tie]
    can_edit: bool
    following: bool
    signed_in: bool
    circles_to_tie: list[Circle] = field(default_factory=list)


def _mark_visible_notes(
    viewer: Any, ties: list[Tie], *, circle: Circle | None = None, center: Center | None = None
) -> None:
    """Set tie.note_visible by permissions.can_see_tie_note, priming its caches so a page costs at most one query."""
    for tie in ties:
        if circle is not None:
            tie.circle = circle
        if center is not None:
            tie.center = center
    if is_person(viewer) and not is_site_admin(viewer) and ties:
        if circle is not None and not perms.is_member(viewer, circle):
            perms.remember_editorships(viewer, {tie.center_id for tie in ties})
        elif center is not None and not perms.is_center_editor(viewer, center):
            circle_ids = {tie.circle_id for tie in ties} - perms.known_membership_circles(viewer)
            own = {m.circle_id: m for m in Membership.objects.filter(person=viewer, circle_id__in=circle_ids)}
            perms.remember_memberships(viewer, {circle_id: own.get(circle_id) for circle_id in circle_ids})
    for tie in ties:
        tie.note_visible = perms.can_see_tie_note(viewer, tie)


def center_page(viewer: Any, center: Center, page_number: str | int | None = None) -> CenterPage:
    """The center, its editors and one page of the circles tied to it (a public list: never their members)."""
    editors = list(center.editorships.select_related("person").order_by("person__display_name", "id"))
    can_edit = is_site_admin(viewer) or (is_person(viewer) and any(e.person_id == viewer.pk for e in editors))
    # A large center has hundreds of ties: page them like the directory so the page stays fast.
    tie_rows = Tie.objects.active().filter(center=center).select_related("circle").order_by("circle__name", "circle_id")
    ties = Paginator(tie_rows, DIRECTORY_PAGE_SIZE).get_page(page_number)
    _mark_visible_notes(viewer, list(ties), center=center)
    page = CenterPage(
        center=center,
        description_html=render_markdown(center.description),
        editors=editors,
        ties=ties,
        can_edit=can_edit,
        following=False,
        signed_in=is_person(viewer),
    )
    if is_person(viewer):
        page.following = Follow.objects.filter(person=viewer, center=center).exists()
        page.circles_to_tie = list(
            Circle.objects.filter(memberships__person=viewer, memberships__role=Role.ORGANISER)
            .exclude(ties__center=center, ties__ended_at__isnull=True)
            .order_by("name")
        )
    return page


def follows_circle(viewer: Any, circle: Circle) -> bool:
    return is_person(viewer) and Follow.objects.filter(person=viewer, circle=circle).exists()


def center_follow_state(viewer: Any, center: Center) -> bool:
    return is_person(viewer) and Follow.objects.filter(person=viewer, center=center).exists()


def center_editors(center: Center) -> list[CenterEditor]:
    return list(center.editorships.select_related("person").order_by("person__display_name", "id"))


def person_by_email(email: str) -> Person | None:
    return Person.objects.filter(email__iexact=email.strip(), is_active=True).first()


# Profiles


def memberships_visible_to(viewer: Any, person: Person) -> list[Membership]:
    """Person's circle memberships that viewer may know about: only circles whose member list viewer may see.

    Two queries whatever the number of circles: the person's memberships, then the viewer's own memberships in
    those circles, which fill the per-request cache that network.permissions.membership_of reads.
    """
    memberships = list(
        Membership.objects.filter(person=person).select_related("circle").order_by("circle__name", "circle_id")
    )
    if is_person(viewer) and memberships:
        known = perms.known_membership_circles(viewer)
        missing = [m.circle_id for m in memberships if m.circle_id not in known]
        own: dict[int, Membership] = {}
        if viewer.pk == person.pk:
            own = {m.circle_id: m for m in memberships}
        elif missing:
            own = {m.circle_id: m for m in Membership.objects.filter(person=viewer, circle_id__in=missing)}
        perms.remember_memberships(viewer, {circle_id: own.get(circle_id) for circle_id in missing})
    return [m for m in memberships if perms.can_see_members(viewer, m.circle)]
