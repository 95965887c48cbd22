"""Everything a reporter does: submit a report, answer the desks' questions, approve or decline a proposed version,
withdraw. One transaction per use case; refusals are domain errors with a message and a field.

The reporter's authority is the report itself, obtained through `reporter_report` (a passphrase, checked only by
`reports.passphrase.open_report`, or the signed-in author of a member's report). Nothing written here names an
account for a pseudonymous or anonymous report, and nothing records when or from where the reporter came: each
action only overwrites `last_activity_on` with today's date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.core.permissions import is_person
from freshground.core.text import clean_text
from freshground.reports import images, passphrase
from freshground.reports.models import (
    TEXT_MAX_LENGTH,
    Attachment,
    AttachmentKind,
    Desk,
    Message,
    Mode,
    PlaceKind,
    PlaceSize,
    Report,
    ReportStatus,
    Version,
    VersionStatus,
)
from freshground.reports.queries_intake import OPEN_STATUSES
from freshground.reports.sectors import SECTORS

LIMITS = {
    "title": 160,
    "sector_detail": 120,
    "region": 120,
    "pseudonym": 60,
    "what_happened": TEXT_MAX_LENGTH,
    "what_we_did": TEXT_MAX_LENGTH,
    "outcome": TEXT_MAX_LENGTH,
}

_STREET_WORDS = (
    r"street|str|st|road|rd|avenue|ave|av|lane|ln|boulevard|blvd|drive|dr|way|close|court|ct|place|pl|square|sq|"
    r"terrace|crescent|highway|hwy|alley|row|parkway|pkwy|"
    r"stra(?:ss|ß)e|str|gasse|weg|platz|allee|ring|damm|ufer|"
    r"rue|avenida|calle|carrer|via|viale|piazza|corso|rua|travessa|ulica|ul|utca|straat|laan|plein|gatan|gata|vej|"
    r"katu|tie|sokak|cadde"
)
_STREET = re.compile(
    rf"(?:\b(?:{_STREET_WORDS})\b\.?)|(?:\w(?:straße|strasse|str\.|gasse|weg|platz|straat|gatan)\b)", re.I
)
_DIGITS = re.compile(r"\d")
_POSTCODE_OR_NUMBER = re.compile(r"\d{3,}")
_COORDINATES = re.compile(r"-?\d{1,3}[.,]\d{2,}")
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)


@dataclass(frozen=True)
class Upload:
    """A file as received: its bytes and the name the browser gave (used only to tell a document's type)."""

    file: IO[bytes]
    name: str


@dataclass(frozen=True)
class Submitted:
    report: Report
    # Shown once to a pseudonymous or anonymous reporter, then forgotten: only its hash is stored.
    passphrase: str | None


def _today() -> Any:
    return timezone.localdate()


def check_region(region: str) -> str:
    """City level at most: refuse what looks like a street address, a postcode or coordinates."""
    region = clean_text(region or "")
    if not region:
        return ""
    looks_like_address = (
        (_DIGITS.search(region) and _STREET.search(region))
        or _POSTCODE_OR_NUMBER.search(region)
        or _COORDINATES.search(region)
        or _UK_POSTCODE.search(region)
    )
    if looks_like_address:
        raise DomainError(
            _(
                "Give a city or region only, never a street, a house number, a postcode or coordinates: an address "
                "can identify you and the people you write about."
            ),
            field="region",
        )
    return region


def _check_lengths(values: dict[str, str]) -> None:
    for name, limit in LIMITS.items():
        if len(values.get(name, "")) > limit:
            raise DomainError(_("At most %(n)d characters.") % {"n": limit}, field=name)


def _active_desks(desks: Iterable[Desk | int]) -> list[Desk]:
    ids = {desk.pk if isinstance(desk, Desk) else int(desk) for desk in desks}
    if not ids:
        raise DomainError(_("Choose at least one desk that may read your report."), field="desks")
    found = list(Desk.objects.filter(pk__in=ids, is_active=True))
    if len(found) != len(ids):
        raise DomainError(_("One of the chosen desks does not accept reports."), field="desks")
    return found


def _clean_uploads(uploads: Sequence[Upload], *, documents_confirmed: bool) -> list[images.CleanFile]:
    if len(uploads) > images.MAX_ATTACHMENTS:
        raise DomainError(_("At most %(n)d files per report.") % {"n": images.MAX_ATTACHMENTS}, field="attachments")
    return [
        images.clean_upload(upload.file, name=upload.name, documents_confirmed=documents_confirmed)
        for upload in uploads
    ]


def _pseudonym(value: str) -> str:
    value = clean_text(value or "")
    if value:
        return value
    words = passphrase.generate(2).split()[:2]  # at least 7 are drawn; two are enough for a name
    return " ".join(word.capitalize() for word in words)


def submit_report(
    actor: Any,
    *,
    mode: str,
    desks: Iterable[Desk | int],
    title: str,
    place_kind: str,
    what_happened: str,
    sector: str = "",
    sector_detail: str = "",
    region: str = "",
    place_size: str = "",
    what_we_did: str = "",
    outcome: str = "",
    is_win: bool = False,
    pseudonym: str = "",
    uploads: Sequence[Upload] = (),
    documents_confirmed: bool = False,
) -> Submitted:
    """Submit a report. `actor` matters only in member mode (the author); in the other modes it is ignored entirely,
    so a signed-in member's pseudonymous report is not linked to their account."""
    if mode not in Mode.values:
        raise DomainError(_("Choose how you want to report."), field="mode")
    if mode == Mode.MEMBER and not is_person(actor):
        raise PermissionDenied(_("Sign in to report under your name, or report anonymously."))
    values = {
        "title": clean_text(title or ""),
        "sector_detail": clean_text(sector_detail or ""),
        "what_happened": clean_text(what_happened or ""),
        "what_we_did": clean_text(what_we_did or ""),
        "outcome": clean_text(outcome or ""),
        "pseudonym": clean_text(pseudonym or "") if mode == Mode.PSEUDONYM else "",
    }
    if not values["title"]:
        raise DomainError(_("Give your report a title."), field="title")
    if not values["what_happened"]:
        raise DomainError(_("Say what happened."), field="what_happened")
    if place_kind not in PlaceKind.values:
        raise DomainError(_("Choose the kind of place."), field="place_kind")
    if sector and sector not in SECTORS:
        raise DomainError(_("Choose a sector from the list, or none."), field="sector")
    if (place_size or "") not in PlaceSize.values:
        raise DomainError(_("Choose the size of the place from the list."), field="place_size")
    values["region"] = check_region(region)
    _check_lengths(values)
    chosen = _active_desks(desks)
    # Images are re-encoded before the transaction: slow work outside the database lock.
    files = _clean_uploads(uploads, documents_confirmed=documents_confirmed)

    secret: str | None = None
    passphrase_hash = ""
    if mode != Mode.MEMBER:
        secret = passphrase.generate()
        passphrase_hash = passphrase.hash_passphrase(secret)
    with transaction.atomic():
        report = Report.objects.create(
            mode=mode,
            author=actor if mode == Mode.MEMBER else None,
            pseudonym=_pseudonym(values["pseudonym"]) if mode == Mode.PSEUDONYM else "",
            passphrase_hash=passphrase_hash,
            passphrase_bucket=passphrase.bucket_of(passphrase_hash),
            title=values["title"],
            place_kind=place_kind,
            sector=sector or "",
            sector_detail=values["sector_detail"],
            region=values["region"],
            place_size=place_size or "",
            what_happened=values["what_happened"],
            what_we_did=values["what_we_did"],
            outcome=values["outcome"],
            is_win=bool(is_win),
            status=ReportStatus.SUBMITTED,
        )
        report.desks.set(chosen)
        for clean in files:
            attachment = Attachment(
                report=report,
                kind=clean.kind,
                extension=clean.extension,
                content_type=clean.content_type,
                size=len(clean.content),
                width=clean.width,
                height=clean.height,
                metadata_warning_confirmed=clean.kind != AttachmentKind.IMAGE,
            )
            attachment.file.save("upload", ContentFile(clean.content), save=False)
            attachment.save()
    return Submitted(report=report, passphrase=secret)


# The reporter's authority


def reporter_report(actor: Any, *, passphrase_text: str = "", public_id: str = "") -> Report:
    """The report the caller may act on as its reporter: by passphrase, or as the signed-in author of a member's
    report. The same generic refusal whatever went wrong, so nothing tells whether a report exists."""
    if passphrase_text:
        found = passphrase.open_report(passphrase_text)
        if found is None:
            raise NotFound(str(passphrase.GENERIC_ERROR), field="passphrase")
        return found
    if public_id and is_person(actor):
        report = Report.objects.filter(public_id=public_id, mode=Mode.MEMBER, author=actor).first()
        if report is not None:
            return report
    raise NotFound(_("There is no such report among yours."))


def _lock(report: Report) -> Report:
    fresh = Report.objects.select_for_update().filter(pk=report.pk).first()
    if fresh is None:
        raise NotFound(_("This report no longer exists."))
    report.status = fresh.status
    return report


def _require_open(report: Report) -> None:
    if report.status not in OPEN_STATUSES:
        raise Conflict(
            _("This report is %(status)s: nothing more can be done with it.") % {"status": report.get_status_display()}
        )


def _touch(report: Report, *, status: str | None = None) -> None:
    report.last_activity_on = _today()
    fields = ["last_activity_on"]
    if status is not None and status != report.status:
        report.status = status
        fields.append("status")
    report.save(update_fields=fields)


def _proposed(report: Report, number: int) -> Version:
    version = report.versions.filter(number=number).first()
    if version is None:
        raise NotFound(_("There is no such version of your report."), field="version")
    if version.status != VersionStatus.PROPOSED:
        raise Conflict(
            _("This version was already %(status)s.") % {"status": version.get_status_display()}, field="version"
        )
    return version


@transaction.atomic
def answer(*, report: Report, body: str) -> Message:
    """The reporter answers the desks' questions (or adds something). A report waiting for them goes back in review."""
    _lock(report)
    _require_open(report)
    text = clean_text(body or "")
    if not text:
        raise DomainError(_("Write your answer first."), field="body")
    if len(text) > TEXT_MAX_LENGTH:
        raise DomainError(_("At most %(n)d characters.") % {"n": TEXT_MAX_LENGTH}, field="body")
    message = Message.objects.create(report=report, from_reporter=True, body=text)
    status = None
    if (
        report.status == ReportStatus.AWAITING_REPORTER
        and not report.versions.filter(status=VersionStatus.PROPOSED).exists()
    ):
        status = ReportStatus.IN_REVIEW
    _touch(report, status=status)
    return message


@transaction.atomic
def approve_version(*, report: Report, number: int) -> Version:
    """The reporter approves a proposed version: the report is ready to be published in exactly this form."""
    _lock(report)
    _require_open(report)
    version = _proposed(report, number)
    version.status = VersionStatus.APPROVED
    version.decided_on = _today()
    version.save(update_fields=["status", "decided_on"])
    _touch(report, status=ReportStatus.APPROVED)
    return version


@transaction.atomic
def decline_version(*, report: Report, number: int, reason: str = "") -> Version:
    """The reporter declines a proposed version (optionally saying why, as a message): it goes back in review."""
    _lock(report)
    _require_open(report)
    version = _proposed(report, number)
    text = clean_text(reason or "")
    if len(text) > TEXT_MAX_LENGTH:
        raise DomainError(_("At most %(n)d characters.") % {"n": TEXT_MAX_LENGTH}, field="reason")
    version.status = VersionStatus.DECLINED
    version.decided_on = _today()
    version.save(update_fields=["status", "decided_on"])
    if text:
        Message.objects.create(report=report, from_reporter=True, body=text)
    _touch(report, status=ReportStatus.IN_REVIEW)
    return version


@transaction.atomic
def withdraw(*, report: Report) -> Report:
    """The reporter withdraws the report (until it is published). Its attachments are deleted with their files at
    once: what the reporter took back should not stay on the server."""
    _lock(report)
    if report.status == ReportStatus.PUBLISHED:
        raise Conflict(_("A published report can no longer be withdrawn. Write to the desk that published it."))
    if report.status == ReportStatus.WITHDRAWN:
        raise Conflict(_("This report is already withdrawn."))
    for attachment in list(report.attachments.all()):
        name = attachment.file.name
        storage = attachment.file.storage
        attachment.delete()
        if name:
            transaction.on_commit(partial(storage.delete, name))
    report.versions.filter(status=VersionStatus.PROPOSED).update(status=VersionStatus.SUPERSEDED, decided_on=_today())
    _touch(report, status=ReportStatus.WITHDRAWN)
    return report
