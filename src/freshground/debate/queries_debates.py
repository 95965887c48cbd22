"""Reads for the debate pages: the list, a debate's page, a position's ranked arguments, an argument, summaries.

Every function costs a fixed number of queries whatever the number of debates, positions, arguments or marks: the
debate page reads the top arguments of every position and side in one UNION of small index walks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from freshground.core.content import ContentStatus
from freshground.core.models import Tag
from freshground.core.permissions import is_person, is_site_admin
from freshground.debate import permissions_debates as perms
from freshground.debate.models import Argument, Conviction, Debate, DebateStatus, Invitation, Position, Side, Summary
from freshground.network import permissions as network_perms
from freshground.network.models import Center, Circle, Membership

DEBATES_PER_PAGE = 20
TOP_ARGUMENTS = 5  # per position and side on the debate page
ARGUMENTS_PER_PAGE = 25
RANKING = ("-bridging_score", "-convinced_count", "created_at", "id")


# The list


@dataclass(frozen=True)
class DebateFilters:
    state: str = ""  # "", "open" or "closed"
    circle: Circle | None = None
    center: Center | None = None
    topic: Tag | None = None
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.state or self.circle or self.center or self.topic or self.q)


def open_q(now: Any = None) -> Q:
    now = now or timezone.now()
    return Q(state=DebateStatus.OPEN) & (Q(closes_at__isnull=True) | Q(closes_at__gt=now))


def visible_debates(viewer: Any) -> QuerySet[Debate]:
    published = Q(status=ContentStatus.PUBLISHED)
    if is_site_admin(viewer):
        return Debate.objects.exclude(status=ContentStatus.DELETED)
    if is_person(viewer):
        return Debate.objects.filter(published | Q(opened_by=viewer, status=ContentStatus.PENDING))
    return Debate.objects.filter(published)


def debate_list(viewer: Any, filters: DebateFilters, page_number: Any = 1) -> Page[Any]:
    """A page of debates, the most recently active first: three queries (count, rows, topics)."""
    debates = visible_debates(viewer)
    if filters.state == "open":
        debates = debates.filter(open_q())
    elif filters.state == "closed":
        debates = debates.exclude(open_q())
    if filters.circle is not None:
        debates = debates.filter(circle=filters.circle)
    if filters.center is not None:
        debates = debates.filter(center=filters.center)
    if filters.topic is not None:
        debates = debates.filter(topics=filters.topic)
    if filters.q:
        debates = debates.filter(question__icontains=filters.q)
    debates = (
        debates.select_related("circle", "center", "opened_by")
        .prefetch_related("topics")
        .annotate(position_count=Count("positions"))
        .order_by("-last_activity_at", "-id")
    )
    return Paginator(debates, DEBATES_PER_PAGE).get_page(page_number)


def groups_for_filter() -> tuple[list[Circle], list[Center]]:
    """Circles and centers that have opened a debate (two queries), for the list's filter."""
    circles = list(Circle.objects.filter(debates__isnull=False).distinct().order_by("name").only("id", "name", "slug"))
    centers = list(Center.objects.filter(debates__isnull=False).distinct().order_by("name").only("id", "name", "slug"))
    return circles, centers


# One debate


def debate_by_slug(slug: str) -> Debate | None:
    return (
        Debate.objects.filter(slug=slug)
        .select_related("circle", "center", "opened_by")
        .prefetch_related("topics", "moderators")
        .first()
    )


def _prime_permissions(viewer: Any, circle_ids: set[int], center_ids: set[int]) -> None:
    """Learn in two queries the viewer's roles in every circle and center the page asks about."""
    if not is_person(viewer):
        return
    missing = circle_ids - network_perms.known_membership_circles(viewer)
    if missing:
        found = {m.circle_id: m for m in Membership.objects.filter(person=viewer, circle_id__in=missing)}
        network_perms.remember_memberships(viewer, {cid: found.get(cid) for cid in missing})
    network_perms.remember_editorships(viewer, center_ids)


def visible_arguments(viewer: Any) -> Q:
    if is_person(viewer):
        return Q(status=ContentStatus.PUBLISHED) | Q(status=ContentStatus.PENDING, author=viewer)
    return Q(status=ContentStatus.PUBLISHED)


@dataclass
class SideView:
    side: str
    label: str
    arguments: list[Argument]
    has_more: bool


@dataclass
class PositionView:
    position: Position
    sides: list[SideView]


@dataclass
class DebatePage:
    debate: Debate
    positions: list[PositionView]
    invitations: list[Invitation]
    summary: Summary | None
    is_open: bool
    is_moderator: bool
    can_add_position: bool
    can_argue: bool
    can_invite: bool
    can_close: bool
    can_summarise: bool
    stateable: set[int] = field(default_factory=set)  # invitation ids the viewer may answer
    viewer_circles: list[Circle] = field(default_factory=list)


def _mark_for_viewer(viewer: Any, arguments: list[Argument]) -> None:
    """Set `viewer_convinced` and `viewer_can_mark` on each argument (one query)."""
    mine: set[int] = set()
    if is_person(viewer) and arguments:
        mine = set(
            Conviction.objects.filter(person=viewer, argument_id__in=[a.pk for a in arguments]).values_list(
                "argument_id", flat=True
            )
        )
    for argument in arguments:
        argument.viewer_convinced = argument.pk in mine  # type: ignore[attr-defined]
        argument.viewer_can_mark = perms.can_mark_convincing(viewer, argument)  # type: ignore[attr-defined]


def _arguments_by_id(ids: list[int]) -> dict[int, Argument]:
    rows = (
        Argument.objects.filter(pk__in=ids)
        .select_related("author")
        .prefetch_related(Prefetch("shown_circles", queryset=Circle.objects.only("id", "name", "slug")))
    )
    return {argument.pk: argument for argument in rows}


def top_arguments(viewer: Any, positions: list[Position]) -> dict[tuple[int, str], list[int]]:
    """The ids of the TOP_ARGUMENTS + 1 best-ranked arguments of every position and side: one query."""
    visible = visible_arguments(viewer)
    parts = [
        Argument.objects.filter(visible, position_id=position.pk, side=side)
        .order_by(*RANKING)
        .values_list("position_id", "side", "id", "bridging_score", "convinced_count", "created_at")[
            : TOP_ARGUMENTS + 1
        ]
        for position in positions
        for side in Side.values
    ]
    result: dict[tuple[int, str], list[int]] = {(p.pk, s): [] for p in positions for s in Side.values}
    if not parts:
        return result
    # Django cannot slice the parts of a UNION on SQLite; each part wrapped as a subquery in FROM can be.
    selects: list[str] = []
    params: list[Any] = []
    for index, part in enumerate(parts):
        sql, part_params = part.query.sql_with_params()
        selects.append(f"SELECT * FROM ({sql}) AS part{index}")  # noqa: S608 - Django-compiled SQL, parameters apart
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        rows = cursor.fetchall()
    rows.sort(key=lambda row: (-row[3], -row[4], row[5], row[2]))
    for position_id, side, argument_id, *_rest in rows:
        result[(position_id, side)].append(argument_id)
    return result


def debate_page(viewer: Any, debate: Debate) -> DebatePage:
    """What the viewer sees of a debate: positions with their best arguments, statements, the summary."""
    invitations = list(
        Invitation.objects.filter(debate=debate).select_related("circle", "center", "position", "stated_by")
    )
    for invitation in invitations:
        invitation.debate = debate
    _prime_permissions(
        viewer,
        {i.circle_id for i in invitations if i.circle_id} | ({debate.circle_id} if debate.circle_id else set()),
        {i.center_id for i in invitations if i.center_id} | ({debate.center_id} if debate.center_id else set()),
    )
    positions = list(debate.positions.all())
    top = top_arguments(viewer, positions)
    arguments = _arguments_by_id([pk for ids in top.values() for pk in ids[:TOP_ARGUMENTS]])
    for argument in arguments.values():
        argument.debate = debate
    _mark_for_viewer(viewer, list(arguments.values()))
    labels = dict(Side.choices)
    views = [
        PositionView(
            position=position,
            sides=[
                SideView(
                    side=side,
                    label=str(labels[side]),
                    arguments=[arguments[pk] for pk in top[(position.pk, side)][:TOP_ARGUMENTS] if pk in arguments],
                    has_more=len(top[(position.pk, side)]) > TOP_ARGUMENTS,
                )
                for side in Side.values
            ],
        )
        for position in positions
    ]
    is_open = debate.is_open
    summary = None if is_open else debate.summaries.select_related("author").first()
    can_argue = perms.can_argue(viewer, debate)
    viewer_circles: list[Circle] = []
    if can_argue:
        viewer_circles = list(Circle.objects.filter(memberships__person=viewer).order_by("name").only("id", "name"))
    return DebatePage(
        debate=debate,
        positions=views,
        invitations=invitations,
        summary=summary,
        is_open=is_open,
        is_moderator=perms.is_debate_moderator(viewer, debate),
        can_add_position=perms.can_add_position(viewer, debate),
        can_argue=can_argue,
        can_invite=perms.can_invite(viewer, debate),
        can_close=summary is None and perms.is_debate_moderator(viewer, debate),
        can_summarise=summary is not None and perms.can_edit_summary(viewer, summary),
        stateable={i.pk for i in invitations if perms.can_state(viewer, i)},
        viewer_circles=viewer_circles,
    )


def position_by_pk(debate: Debate, pk: int) -> Position | None:
    return debate.positions.filter(pk=pk).first()


def position_arguments(viewer: Any, position: Position, side: str, page_number: Any = 1) -> Page[Argument]:
    """A page of one side's arguments, best ranked first."""
    arguments = (
        Argument.objects.filter(visible_arguments(viewer), position=position, side=side)
        .select_related("author")
        .prefetch_related(Prefetch("shown_circles", queryset=Circle.objects.only("id", "name", "slug")))
        .order_by(*RANKING)
    )
    page = Paginator(arguments, ARGUMENTS_PER_PAGE).get_page(page_number)
    for argument in page.object_list:
        argument.debate = position.debate
        argument.position = position
    _mark_for_viewer(viewer, list(page.object_list))
    return page


def argument_by_pk(viewer: Any, pk: int) -> Argument | None:
    argument = (
        Argument.objects.filter(pk=pk)
        .select_related("author", "position", "debate", "debate__circle", "debate__center")
        .prefetch_related("shown_circles", "debate__moderators")
        .first()
    )
    if argument is None:
        return None
    _mark_for_viewer(viewer, [argument])
    return argument


def summaries_of(debate: Debate) -> list[Summary]:
    return list(debate.summaries.select_related("author"))


def summary_version(debate: Debate, version: int) -> Summary | None:
    summary = debate.summaries.filter(version=version).select_related("author").first()
    if summary is not None:
        summary.debate = debate
    return summary


def invitation_by_pk(debate: Debate, pk: int) -> Invitation | None:
    invitation = debate.invitations.filter(pk=pk).select_related("circle", "center", "position").first()
    if invitation is not None:
        invitation.debate = debate
    return invitation
