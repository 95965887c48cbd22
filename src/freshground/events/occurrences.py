"""An event's dates as Occurrence rows: one for a single event, the RRULE's dates for a recurring one.

Recurrence is expanded in the event's own time zone, so a 19:00 study session stays at 19:00 local time across
daylight-saving changes (its UTC time moves). Expansion stops at the rule's COUNT or UNTIL, or at a horizon about
18 months ahead, whichever comes first; at most MAX_OCCURRENCES rows are kept (the latest ones). A daily job
(events/tasks_occurrences.py) moves the horizon forward for rules that never end.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.rrule import rrule, rrulestr
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import DomainError
from freshground.events.models import Event, EventStatus, Occurrence

HORIZON = timedelta(days=548)  # about 18 months
MAX_OCCURRENCES = 500
MAX_EXDATES = 500
TOO_FREQUENT = {"SECONDLY", "MINUTELY", "HOURLY"}
_UNTIL = re.compile(r"UNTIL=([0-9TZ]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Recurrence:
    """A parsed rule: its iterator (aware datetimes in the event's zone) and whether it ends on its own."""

    rule: rrule
    has_limit: bool
    count: int | None
    until: datetime | None


def zone_of(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise DomainError(_("Choose a time zone such as Europe/London."), field="time_zone") from error


def normalise_rule(text: str) -> str:
    """Trim the rule, drop an "RRULE:" prefix people paste from calendars, upper-case it."""
    value = (text or "").strip()
    if value.upper().startswith("RRULE:"):
        value = value[6:]
    return value.strip().rstrip(";").upper()


def _until_in_utc(rule: str, zone: zoneinfo.ZoneInfo) -> str:
    """RFC 5545 wants UNTIL in UTC when DTSTART has a zone; a local date or time is read in the event's zone."""

    def fix(match: re.Match[str]) -> str:
        raw = match.group(1).upper()
        if raw.endswith("Z"):
            return f"UNTIL={raw}"
        try:
            if "T" in raw:
                local = datetime.strptime(raw, "%Y%m%dT%H%M%S").replace(tzinfo=zone)
            else:
                day = datetime.strptime(raw, "%Y%m%d").date()
                local = datetime.combine(day, time(23, 59, 59), tzinfo=zone)
        except ValueError as error:
            raise DomainError(_("The end date in the repeat rule is not a date."), field="rrule") from error
        return "UNTIL=" + local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    return _UNTIL.sub(fix, rule)


def parse_rule(text: str, starts_at: datetime, time_zone: str) -> Recurrence:
    """Parse an RRULE value for an event starting at starts_at (aware) in time_zone. Refusals name field "rrule"."""
    zone = zone_of(time_zone)
    rule_text = normalise_rule(text)
    if not rule_text:
        raise DomainError(_("The repeat rule is empty."), field="rrule")
    if "\n" in rule_text or "DTSTART" in rule_text or "RRULE" in rule_text or "EXDATE" in rule_text:
        raise DomainError(_("Give one repeat rule (the part after RRULE:), nothing else."), field="rrule")
    parts = dict(part.split("=", 1) for part in rule_text.split(";") if "=" in part)
    if parts.get("FREQ") in TOO_FREQUENT:
        raise DomainError(_("An event can repeat at most daily."), field="rrule")
    if "COUNT" in parts and "UNTIL" in parts:
        raise DomainError(_("A repeat rule has a count or an end date, not both."), field="rrule")
    try:
        parsed = rrulestr(_until_in_utc(rule_text, zone), dtstart=starts_at.astimezone(zone))
    except DomainError:
        raise
    except (ValueError, TypeError, KeyError, OverflowError) as error:
        raise DomainError(
            _("This repeat rule cannot be read. Write it like FREQ=WEEKLY;BYDAY=TU;COUNT=10."), field="rrule"
        ) from error
    if not isinstance(parsed, rrule):
        raise DomainError(_("Give one repeat rule."), field="rrule")
    count: int | None = parsed._count  # dateutil keeps these private
    until: datetime | None = parsed._until
    if count is not None and count < 1:
        raise DomainError(_("A repeat count must be at least 1."), field="rrule")
    return Recurrence(rule=parsed, has_limit=count is not None or until is not None, count=count, until=until)


def parse_exdates(values: Iterable[Any], *, starts_at: datetime, time_zone: str) -> list[str]:
    """Skipped dates as sorted UTC ISO strings. A plain date skips the occurrence starting that (local) day."""
    zone = zone_of(time_zone)
    local_start = starts_at.astimezone(zone).timetz().replace(tzinfo=None)
    result: set[str] = set()
    for raw in values:
        value: Any = raw
        if isinstance(value, str):
            text = value.strip()
            if not text:
                continue
            try:
                value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
            except ValueError as error:
                raise DomainError(
                    _("“%(value)s” is not a date like 2026-03-31.") % {"value": text[:30]}, field="exdates"
                ) from error
        if isinstance(value, datetime):
            moment = value if timezone.is_aware(value) else value.replace(tzinfo=zone)
        elif isinstance(value, date):
            moment = datetime.combine(value, local_start, tzinfo=zone)
        else:
            raise DomainError(_("Skipped dates must be dates."), field="exdates")
        result.add(moment.astimezone(UTC).isoformat())
    if len(result) > MAX_EXDATES:
        raise DomainError(_("At most %(n)d skipped dates.") % {"n": MAX_EXDATES}, field="exdates")
    return sorted(result)


def horizon_for(event: Event, now: datetime | None = None) -> datetime:
    moment = now or timezone.now()
    return max(moment, event.starts_at) + HORIZON


def validate_recurrence(event: Event, now: datetime | None = None) -> Recurrence | None:
    """Refuse a rule that cannot be read or that would make more than MAX_OCCURRENCES dates inside its limit
    (its COUNT or UNTIL, or the horizon for a rule that never ends)."""
    if not event.rrule:
        return None
    recurrence = parse_rule(event.rrule, event.starts_at, event.time_zone)
    if recurrence.count is not None and recurrence.count > MAX_OCCURRENCES:
        raise DomainError(
            _("This rule makes %(count)d dates; an event can have at most %(max)d. Use a smaller count.")
            % {"count": recurrence.count, "max": MAX_OCCURRENCES},
            field="rrule",
        )
    # A rule that ends on its own is counted to its end; one that never ends, to the horizon.
    limit = None if recurrence.has_limit else horizon_for(event, now)
    produced = 0
    for moment in recurrence.rule:
        if limit is not None and moment > limit:
            break
        produced += 1
        if produced > MAX_OCCURRENCES:
            if recurrence.has_limit:
                message = _("This rule makes more than %(max)d dates before it ends. Choose an earlier end date.")
            else:
                message = _(
                    "This rule makes more than %(max)d dates in the next 18 months. Repeat less often, or give "
                    "an end date or a count."
                )
            raise DomainError(message % {"max": MAX_OCCURRENCES}, field="rrule")
    if produced == 0:
        raise DomainError(_("This rule makes no dates at all. Check its end date."), field="rrule")
    return recurrence


def expand(event: Event, now: datetime | None = None) -> list[tuple[datetime, datetime]]:
    """The event's (start, end) pairs in UTC, minus skipped dates, up to its limit or the horizon; the last 500."""
    duration = event.ends_at - event.starts_at
    if not event.rrule:
        return [(event.starts_at, event.ends_at)]
    recurrence = parse_rule(event.rrule, event.starts_at, event.time_zone)
    skipped = set(event.exdates or [])
    limit = horizon_for(event, now)
    dates: list[tuple[datetime, datetime]] = []
    for moment in recurrence.rule:
        if moment > limit:
            break
        start = moment.astimezone(UTC)
        if start.isoformat() in skipped:
            continue
        dates.append((start, start + duration))
        if len(dates) > MAX_OCCURRENCES * 4:  # a pathological rule: stop walking, keep the latest window
            dates = dates[-MAX_OCCURRENCES:]
    return dates[-MAX_OCCURRENCES:]


@transaction.atomic
def rebuild_occurrences(event: Event, now: datetime | None = None) -> int:
    """Make the Occurrence rows match the event's dates. Returns how many rows it now has."""
    wanted = expand(event, now)
    wanted_starts = {start for start, _end in wanted}
    existing = {row.starts_at: row for row in Occurrence.objects.filter(event=event)}
    stale = [row.pk for start, row in existing.items() if start not in wanted_starts]
    if stale:
        Occurrence.objects.filter(pk__in=stale).delete()
    changed: list[Occurrence] = []
    new: list[Occurrence] = []
    for start, end in wanted:
        row = existing.get(start)
        if row is None:
            new.append(Occurrence(event=event, starts_at=start, ends_at=end))
        elif row.ends_at != end:
            row.ends_at = end
            changed.append(row)
    if changed:
        Occurrence.objects.bulk_update(changed, ["ends_at"])
    if new:
        Occurrence.objects.bulk_create(new, ignore_conflicts=True)
    return len(wanted)


def extend_horizons(now: datetime | None = None) -> int:
    """Move the horizon of every scheduled recurring event forward. Returns how many events were looked at.

    Rules with a COUNT or an UNTIL already in the past of the horizon gain nothing, but rebuilding them is
    harmless and cheap; open-ended ones gain the dates that came within 18 months since the last run.
    """
    moment = now or timezone.now()
    events = Event.objects.filter(status=EventStatus.SCHEDULED).exclude(rrule="")
    seen = 0
    for event in events.iterator(chunk_size=200):
        try:
            rebuild_occurrences(event, moment)
        except DomainError:
            continue  # a rule that no longer parses keeps the dates it has
        seen += 1
    return seen


def recurrence_in_words(event: Event) -> str:
    """ "Every week on Tuesday, 10 times" in the UI language; the raw rule when it is unusual."""
    if not event.rrule:
        return ""
    try:
        recurrence = parse_rule(event.rrule, event.starts_at, event.time_zone)
    except DomainError:
        return event.rrule
    rule_text = normalise_rule(event.rrule)
    parts = dict(part.split("=", 1) for part in rule_text.split(";") if "=" in part)
    interval = int(parts.get("INTERVAL", "1") or 1)
    freq = parts.get("FREQ", "")
    day_names = {
        "MO": _("Monday"),
        "TU": _("Tuesday"),
        "WE": _("Wednesday"),
        "TH": _("Thursday"),
        "FR": _("Friday"),
        "SA": _("Saturday"),
        "SU": _("Sunday"),
    }
    days = [day_names.get(code[-2:], code) for code in parts.get("BYDAY", "").split(",") if code]
    if freq == "DAILY":
        text = _("Every day") if interval == 1 else _("Every %(n)d days") % {"n": interval}
    elif freq == "WEEKLY":
        text = _("Every week") if interval == 1 else _("Every %(n)d weeks") % {"n": interval}
        if days:
            text = _("%(every)s on %(days)s") % {"every": text, "days": ", ".join(days)}
    elif freq == "MONTHLY":
        text = _("Every month") if interval == 1 else _("Every %(n)d months") % {"n": interval}
    elif freq == "YEARLY":
        text = _("Every year") if interval == 1 else _("Every %(n)d years") % {"n": interval}
    else:
        return rule_text
    if recurrence.count is not None:
        text = _("%(rule)s, %(n)d times") % {"rule": text, "n": recurrence.count}
    elif recurrence.until is not None:
        until_local = recurrence.until.astimezone(zone_of(event.time_zone)).date()
        text = _("%(rule)s, until %(date)s") % {"rule": text, "date": until_local.isoformat()}
    return str(text)
