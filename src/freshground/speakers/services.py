"""Every change to the roster: speakers, their talks, availability and endorsements. Speaking requests are in
services_requests.py and tour plans in services_tours.py."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import Conflict, DomainError, PermissionDenied
from freshground.core.models import Tag
from freshground.core.tags import tags_from_names
from freshground.core.text import clean_text
from freshground.network.models import Center, Circle
from freshground.people.models import Person
from freshground.speakers import permissions as perms
from freshground.speakers.models import (
    Availability,
    Endorsement,
    Speaker,
    Talk,
)

SPEAKER_TEXT_FIELDS = {"name": 120, "bio": 5000, "fees": 1000, "accessibility_needs": 1000, "place_name": 160}
SPEAKER_FIELDS = (*SPEAKER_TEXT_FIELDS, "latitude", "longitude", "contact_email")
MAX_TALKS = 30
MAX_WINDOWS = 40
MAX_REGIONS = 30
MAX_LANGUAGES = 20
MAX_REQUEST_DAYS = 366
TALK_START = time(19, 0)
TALK_LENGTH = timedelta(hours=2)
NO_COORDINATES = "no_coordinates"

logger = logging.getLogger(__name__)


# Cleaning


def clean_field(value: Any, field: str, limit: int) -> str:
    text = clean_text(str(value or ""))
    if len(text) > limit:
        raise DomainError(_("At most %(n)d characters.") % {"n": limit}, field=field)
    return text


def clean_coordinates(latitude: Any, longitude: Any) -> tuple[float | None, float | None]:
    if (latitude is None) != (longitude is None):
        raise DomainError(_("Give both latitude and longitude, or neither."), field="latitude")
    if latitude is None or longitude is None:
        return None, None
    lat, lon = float(latitude), float(longitude)
    if not -90 <= lat <= 90:
        raise DomainError(_("Latitude must be between -90 and 90."), field="latitude")
    if not -180 <= lon <= 180:
        raise DomainError(_("Longitude must be between -180 and 180."), field="longitude")
    return lat, lon


def _words(values: Iterable[Any], field: str, limit: int, length: int) -> list[str]:
    result: list[str] = []
    for raw in values:
        word = clean_text(str(raw))
        if not word:
            continue
        if len(word) > length:
            raise DomainError(_("“%(word)s…” is too long.") % {"word": word[:20]}, field=field)
        if word.lower() not in (w.lower() for w in result):
            result.append(word)
    if len(result) > limit:
        raise DomainError(_("At most %(n)d entries.") % {"n": limit}, field=field)
    return result


def _languages(values: Iterable[Any]) -> list[str]:
    codes = [code.lower() for code in _words(values, "languages", MAX_LANGUAGES, 12)]
    for code in codes:
        if not all(part.isalnum() for part in code.split("-")):
            raise DomainError(
                _("“%(code)s” is not a language code such as en or pt-br.") % {"code": code}, field="languages"
            )
    return codes


def _talk_rows(values: Iterable[Any]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for raw in values:
        title = clean_field(raw.get("title") if isinstance(raw, dict) else getattr(raw, "title", ""), "talks", 160)
        abstract = clean_field(
            raw.get("abstract") if isinstance(raw, dict) else getattr(raw, "abstract", ""), "talks", 3000
        )
        if not title:
            raise DomainError(_("Every talk needs a title."), field="talks")
        if any(title.lower() == existing.lower() for existing, _abstract in rows):
            raise DomainError(_("Two talks are called “%(title)s”.") % {"title": title[:60]}, field="talks")
        rows.append((title, abstract))
    if len(rows) > MAX_TALKS:
        raise DomainError(_("At most %(n)d talks.") % {"n": MAX_TALKS}, field="talks")
    return rows


def _windows(values: Iterable[Any]) -> list[tuple[date, date]]:
    rows: list[tuple[date, date]] = []
    for raw in values:
        start, end = (raw.get("starts_on"), raw.get("ends_on")) if isinstance(raw, dict) else raw
        if not isinstance(start, date) or not isinstance(end, date):
            raise DomainError(_("Give availability as pairs of dates."), field="availability")
        if end < start:
            raise DomainError(_("An availability window ends before it starts."), field="availability")
        if (end - start).days > MAX_REQUEST_DAYS:
            raise DomainError(_("An availability window can be at most a year long."), field="availability")
        rows.append((start, end))
    if len(rows) > MAX_WINDOWS:
        raise DomainError(_("At most %(n)d availability windows.") % {"n": MAX_WINDOWS}, field="availability")
    return sorted(rows)


def _speaker_fields(values: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, limit in SPEAKER_TEXT_FIELDS.items():
        if key in values:
            fields[key] = clean_field(values[key], key, limit)
    if "contact_email" in values:
        email = clean_field(values["contact_email"], "contact_email", 254)
        if email and ("@" not in email or " " in email):
            raise DomainError(_("Enter a valid e-mail address."), field="contact_email")
        fields["contact_email"] = email
    if "latitude" in values or "longitude" in values:
        fields["latitude"], fields["longitude"] = clean_coordinates(values.get("latitude"), values.get("longitude"))
    if "languages" in values:
        fields["languages"] = _languages(values["languages"] or [])
    if "regions" in values:
        fields["regions"] = _words(values["regions"] or [], "regions", MAX_REGIONS, 80)
    return fields


def _save_related(speaker: Speaker, values: dict[str, Any]) -> None:
    if "topics" in values:
        speaker.topics.set(tags_from_names(values["topics"] or [], "topics"))
    if "talks" in values:
        rows = _talk_rows(values["talks"] or [])
        existing = {talk.title.lower(): talk for talk in speaker.talks.all()}
        wanted = {title.lower() for title, _abstract in rows}
        speaker.talks.exclude(pk__in=[t.pk for key, t in existing.items() if key in wanted]).delete()
        for title, abstract in rows:
            talk = existing.get(title.lower())
            if talk is None:
                Talk.objects.create(speaker=speaker, title=title, abstract=abstract)
            elif (talk.title, talk.abstract) != (title, abstract):
                talk.title, talk.abstract = title, abstract
                talk.save(update_fields=["title", "abstract"])
    if "availability" in values:
        windows = _windows(values["availability"] or [])
        speaker.availability.all().delete()
        Availability.objects.bulk_create(
            [Availability(speaker=speaker, starts_on=start, ends_on=end) for start, end in windows]
        )


# The roster


@transaction.atomic
def create_speaker(*, person: Person, for_self: bool = True, **values: Any) -> Speaker:
    """Put yourself on the roster (for_self), or, as a circle organiser or center editor, someone without an
    account, whom you then look after."""
    if for_self:
        if not perms.can_list_self(person):
            raise PermissionDenied(_("Sign in to put yourself on the roster."))
        if Speaker.objects.filter(person=person).exists():
            raise Conflict(_("You are on the roster already: edit your entry instead."))
        values.setdefault("name", person.display_name)
    elif not perms.can_enter_speaker(person):
        raise PermissionDenied(_("Only circle organisers and center editors can enter speakers without an account."))
    fields = _speaker_fields(values)
    if not fields.get("name"):
        raise DomainError(_("A speaker needs a name."), field="name")
    speaker = Speaker(
        **fields,
        person=person if for_self else None,
        entered_by=None if for_self else person,
        updated_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            speaker.save()
    except IntegrityError as error:
        raise Conflict(_("You are on the roster already: edit your entry instead.")) from error
    _save_related(speaker, values)
    return speaker


@transaction.atomic
def update_speaker(*, person: Person, speaker: Speaker, **values: Any) -> Speaker:
    if not perms.can_manage_speaker(person, speaker):
        raise PermissionDenied(_("Only the speaker (or whoever entered them) can change this entry."))
    fields = _speaker_fields(values)
    if "name" in fields and not fields["name"]:
        raise DomainError(_("A speaker needs a name."), field="name")
    for key, value in fields.items():
        setattr(speaker, key, value)
    speaker.updated_at = timezone.now()
    speaker.save()
    _save_related(speaker, values)
    return speaker


@transaction.atomic
def delete_speaker(*, person: Person, speaker: Speaker) -> None:
    """Leave the roster. Talks already on the calendar stay there."""
    if not perms.can_manage_speaker(person, speaker):
        raise PermissionDenied(_("Only the speaker (or whoever entered them) can remove this entry."))
    speaker.delete()


# Endorsements


def topic_tag(name: str) -> Tag:
    tags = tags_from_names([name], "topic", limit=1)
    if not tags:
        raise DomainError(_("Name the topic."), field="topic")
    return tags[0]


@transaction.atomic
def endorse(
    *, person: Person, speaker: Speaker, topic: str, circle: Circle | None = None, center: Center | None = None
) -> Endorsement:
    if (circle is None) == (center is None):
        raise DomainError(_("Endorse in the name of one circle or one center."), field="endorser")
    if not perms.can_endorse(person, speaker, circle=circle, center=center):
        if speaker.person_id == getattr(person, "pk", None):
            raise PermissionDenied(_("You cannot endorse yourself."))
        raise PermissionDenied(_("Only a circle's organisers or a center's editors can endorse in its name."))
    tag = topic_tag(topic)
    try:
        with transaction.atomic():
            return Endorsement.objects.create(
                speaker=speaker, topic=tag, circle=circle, center=center, endorsed_by=person
            )
    except IntegrityError as error:
        raise Conflict(
            _("%(who)s already endorses this speaker on %(topic)s.") % {"who": circle or center, "topic": tag}
        ) from error


@transaction.atomic
def unendorse(*, person: Person, endorsement: Endorsement) -> None:
    if not perms.can_endorse(person, endorsement.speaker, circle=endorsement.circle, center=endorsement.center):
        raise PermissionDenied(_("Only the endorsing circle's organisers or center's editors can withdraw it."))
    endorsement.delete()
