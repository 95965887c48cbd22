"""Reads for the debate pages: the list, a debate's page, a position's ranked arguments, an argument, summaries.

Every function costs a fixed number of queries whatever the number of debates, positions, arguments or marks: the
debate page reads the top arguments of every position and side in one UNION of small index walks (hand-written SQL: the
ORM took longer to compile forty querysets than the database took to run them), then those arguments with their
authors, the circles shown beside them and the viewer's convincing marks.

Arguments meant for a card get what the card needs computed once per page rather than once per card (`prepare_cards`):
their links (one reverse() per page and kind of link, not per card) and whether the viewer may mark them convincing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from freshground.core.content import ContentStatus
from freshground.core.models import Tag
from freshground.core.permissions import is_person, is_site_admin
from freshground.debate import permissions_debates as perms
from freshground.debate.models import Argument, Conviction, Debate, DebateStatus, Invitation, Position, Side, Summary
from freshground.moderation import permissions as moderation_perms
from freshground.network import permissions as network_perms
from freshground.network.models import Center, Circle, Membership
from freshground.people.models import Person

DEBATES_PER_PAGE = 20
TOP_ARGUMENTS = 3  # per position and side on the debate page; the position page has them all
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
        .prefetch_related("topics", Prefetch("moderators", queryset=Person.objects.only("id")))
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
    """Published arguments, and one's own awaiting approval (_ranking_sql says the same in SQL)."""
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
    url: str = ""  # of the position's page, with all its arguments
    ref: str = ""  # the position's key as text


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


class _Link:
    """The URL of one kind of link for any primary key: reverse() once (about 10 µs), then fill in each key."""

    _HOLE = 2_147_483_647

    def __init__(self, name: str, *args: Any) -> None:
        self.head, _hole, self.tail = reverse(name, args=[*args, self._HOLE]).rpartition(str(self._HOLE))

    def __call__(self, pk: Any) -> str:
        return f"{self.head}{pk}{self.tail}"


def convinced_text(convinced_count: int, group_count: int) -> str:
    """How many people found an argument convincing, and from how many circles and centers."""
    if not convinced_count:
        return gettext("Nobody has marked it convincing yet.")
    people = ngettext("Found convincing by %(n)s person", "Found convincing by %(n)s people", convinced_count)
    groups = ngettext("from %(m)s circle or center", "from %(m)s circles and centers", group_count)
    return f"{people % {'n': convinced_count}} {groups % {'m': group_count}}"


def _circles_by_argument(ids: list[int]) -> dict[int, list[Circle]]:
    """The circles shown beside each argument: one query (a prefetch_related cloned a queryset per argument)."""
    if not ids:
        return {}
    through = Argument.shown_circles.through
    rows = (
        through.objects.filter(argument_id__in=ids)
        .select_related("circle")
        .only("argument_id", "circle__id", "circle__name", "circle__slug")
        .order_by("circle__name", "circle__id")
    )
    found: dict[int, list[Circle]] = {}
    for row in rows:
        found.setdefault(row.argument_id, []).append(row.circle)
    return found


def prepare_cards(viewer: Any, arguments: list[Argument]) -> None:
    """Give each argument what its card shows, worked out once per page rather than in each card (two queries, one
    of them for a signed-in viewer's marks):

    - `circles` shown beside it, `viewer_convinced`, `viewer_can_mark`, `viewer_can_flag`;
    - `ref` (the key as text, for anchors), `page_url`, `convincing_url`, `flag_url`, `author_url` (a reverse() per
      kind of link, not per card);
    - `convinced_text`, `bridging_title` (three {% blocktranslate %} took half a card's rendering time).
    """
    mine: set[int] = set()
    if is_person(viewer) and arguments:
        mine = set(
            Conviction.objects.filter(person=viewer, argument_id__in=[a.pk for a in arguments]).values_list(
                "argument_id", flat=True
            )
        )
    circles = _circles_by_argument([a.pk for a in arguments])
    page, convincing = _Link("debate:argument"), _Link("debate:argument_convincing")
    flag, profile = _Link("moderation:flag", "debate.argument"), _Link("people:profile")
    texts: dict[tuple[int, int], str] = {}  # counts repeat a lot: most arguments convinced nobody or a few
    bridging = gettext("Bridging score %(score)s")
    for argument in arguments:
        pk, counts = argument.pk, (argument.convinced_count, argument.group_count)
        if counts not in texts:
            texts[counts] = convinced_text(*counts)
        vars(argument).update(
            circles=circles.get(pk, []),
            viewer_convinced=pk in mine,
            viewer_can_mark=perms.can_mark_convincing(viewer, argument),
            viewer_can_flag=moderation_perms.can_flag(viewer, author=argument.author, can_view=True),
            ref=str(pk),
            page_url=page(pk),
            convincing_url=convincing(pk),
            flag_url=flag(pk),
            author_url=profile(argument.author_id) if argument.author_id else "",
            convinced_text=texts[counts],
            bridging_title=bridging % {"score": number_format(argument.bridging_score, 2)},
        )


def _arguments_by_id(ids: list[int]) -> dict[int, Argument]:
    rows = (
        Argument.objects.filter(pk__in=ids)
        .select_related("author")
        .only(*(f.name for f in Argument._meta.concrete_fields), "author__id", "author__display_name")
        .order_by()
    )
    return {argument.pk: argument for argument in rows}


def _ranking_sql(parts: int, with_pending: bool) -> str:
    """One index walk (debate_argument_ranking) per position and side, `parts` of them, each wrapped as a subquery so
    that it may be LIMITed inside a UNION on SQLite as on PostgreSQL. The rule of visible_arguments(), in SQL.
    Parameters of each part: position id, side, published[, pending, viewer id], limit."""
    meta = Argument._meta
    columns = {f.name: str(f.column) for f in meta.concrete_fields}

    def col(name: str) -> str:
        return connection.ops.quote_name(columns[name])

    status, author, position, side = col("status"), col("author"), col("position"), col("side")
    visible = f"({status} = %s OR ({status} = %s AND {author} = %s))" if with_pending else f"{status} = %s"
    order = ", ".join(f"{col(name[1:])} DESC" if name[0] == "-" else f"{col(name)} ASC" for name in RANKING)
    selected = ", ".join(
        col(name) for name in ("id", "position", "side", "bridging_score", "convinced_count", "created_at")
    )
    table = connection.ops.quote_name(meta.db_table)
    part = (
        f"SELECT {selected} FROM {table} "  # noqa: S608 - names from the model, values as parameters
        f"WHERE {position} = %s AND {side} = %s AND {visible} ORDER BY {order} LIMIT %s"
    )
    return " UNION ALL ".join(f"SELECT * FROM ({part}) AS part{index}" for index in range(parts))  # noqa: S608


def top_arguments(viewer: Any, positions: list[Position]) -> dict[tuple[int, str], list[int]]:
    """The ids of the TOP_ARGUMENTS + 1 best-ranked arguments of every position and side: one query."""
    result: dict[tuple[int, str], list[int]] = {(p.pk, s): [] for p in positions for s in Side.values}
    if not positions:
        return result
    with_pending = is_person(viewer)
    visible: list[Any] = [ContentStatus.PUBLISHED]
    if with_pending:
        visible += [ContentStatus.PENDING, viewer.pk]
    params: list[Any] = []
    for key in result:
        params += [*key, *visible, TOP_ARGUMENTS + 1]
    with connection.cursor() as cursor:
        cursor.execute(_ranking_sql(len(result), with_pending), params)
        rows = cursor.fetchall()
    rows.sort(key=lambda row: (-row[3], -row[4], row[5], row[0]))
    for argument_id, position_id, side, *_rest in rows:
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
    prepare_cards(viewer, list(arguments.values()))
    labels = dict(Side.choices)
    position_url = _Link("debate:position", debate.slug)
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
            url=position_url(position.pk),
            ref=str(position.pk),
        )
        for position in positions
    ]
    is_open = debate.is_open
    summary = None if is_open else debate.summaries.select_related("author").first()
    can_argue = perms.can_argue(viewer, debate)
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
    )


def circles_of(person: Any) -> list[Circle]:
    """The circles a person belongs to, to show beside an argument: one query."""
    if not is_person(person):
        return []
    return list(Circle.objects.filter(memberships__person=person).order_by("name").only("id", "name"))


def position_by_pk(debate: Debate, pk: int) -> Position | None:
    return debate.positions.filter(pk=pk).first()


def position_arguments(viewer: Any, position: Position, side: str, page_number: Any = 1) -> Page[Argument]:
    """A page of one side's arguments, best ranked first."""
    arguments = (
        Argument.objects.filter(visible_arguments(viewer), position=position, side=side)
        .select_related("author")
        .order_by(*RANKING)
    )
    page = Paginator(arguments, ARGUMENTS_PER_PAGE).get_page(page_number)
    for argument in page.object_list:
        argument.debate = position.debate
        argument.position = position
    prepare_cards(viewer, list(page.object_list))
    return page


def argument_by_pk(viewer: Any, pk: int) -> Argument | None:
    argument = (
        Argument.objects.filter(pk=pk)
        .select_related("author", "position", "debate", "debate__circle", "debate__center")
        .prefetch_related("debate__moderators")
        .first()
    )
    if argument is None:
        return None
    prepare_cards(viewer, [argument])
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
