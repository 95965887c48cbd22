"""Reports for `freshground demo`: three desks (the platform's, the Leeds Infirmary Workers' circle desk and Common
Ground Press's center desk), published reports from several sectors and cities (some of them wins), and one
anonymous report waiting in the circle desk's queue with a reviewer's question to the reporter.

Nothing here identifies anyone: the texts are invented and already generic. Reports are submitted through the
reporter's service (reports.services_intake) and approved through it; the reviewers' proposals and the publication
are written directly, because reviewers act only with two-factor authentication, which the demo logins do not have
(setting it up would change how everyone logs in to the demo). To review in the demo, log in as the organiser, the
editor or the admin, open /reports/desks/, and set up two-factor authentication when the desk asks (any TOTP app).

The pending report's passphrase is `DEMO_PASSPHRASE`, fixed so the demo command can print it and a visitor can open
the reporter's inbox at /reports/inbox/ and answer the question. Idempotent: a report whose title exists is left as
it is, and a desk that exists is not made again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from freshground.core.tags import tags_from_names
from freshground.network.models import Center, Circle
from freshground.people.models import Person
from freshground.reports import passphrase, services_intake
from freshground.reports.models import (
    Desk,
    Message,
    Mode,
    PlaceKind,
    PlaceSize,
    Report,
    ReportStatus,
    Reviewer,
    Version,
    VersionStatus,
)
from freshground.reports.queries_desk import published_changed

# Printed by the demo command: the key to the pending report's inbox (a demo is a local trial).
DEMO_PASSPHRASE = "lantern orchard copper meadow biscuit harbor violet"  # noqa: S105
CIRCLE_DESK = "leeds-infirmary-workers"
CENTER_DESK = "common-ground-press"


@dataclass(frozen=True)
class DemoReport:
    title: str
    published_title: str
    desk: str  # "platform", "circle" or "center"
    mode: str
    place_kind: str
    sector: str
    region: str
    size: str
    what_happened: str
    what_we_did: str
    outcome: str
    win: bool
    topics: tuple[str, ...]
    months_ago: int
    pseudonym: str = ""


PUBLISHED: tuple[DemoReport, ...] = (
    DemoReport(
        "Breaks cut on the night shift",
        "Night-shift breaks cut, then won back",
        "circle",
        Mode.ANONYMOUS,
        PlaceKind.WORKPLACE,
        "Q",
        "Leeds",
        PlaceSize.LARGE,
        "On the night shift our paid break was cut from 30 to 15 minutes without any consultation. Porters and "
        "healthcare assistants on three wards were told it was 'operational need'.",
        "We kept a shared log of every missed break for six weeks and took it, signed by 41 of us, to the "
        "hospital's staff-side meeting.",
        "The 30-minute break was restored and the missed breaks are being paid.",
        True,
        ("breaks", "night shift", "health"),
        2,
    ),
    DemoReport(
        "Scanners timing toilet breaks",
        "Scanners that time toilet breaks",
        "platform",
        Mode.PSEUDONYM,
        PlaceKind.WORKPLACE,
        "H",
        "Glasgow",
        PlaceSize.LARGE,
        "Our hand scanners log every minute we are 'idle', including trips to the toilet. Managers read the "
        "numbers out at the start of each shift.",
        "Agency and direct staff started meeting together in the canteen. We wrote to the union about the data.",
        "The union has asked for the data policy. Nothing has changed yet.",
        False,
        ("surveillance", "logistics"),
        4,
        "Picker on nights",
    ),
    DemoReport(
        "Heat in the upper floors",
        "Classrooms over 30 °C and no plan",
        "center",
        Mode.ANONYMOUS,
        PlaceKind.SCHOOL,
        "P",
        "Chicago",
        PlaceSize.MEDIUM,
        "Upper-floor classrooms reached 31 °C in September. Students and staff had headaches; fans were banned "
        "as a fire risk.",
        "Teachers and parents measured temperatures twice a day for two weeks and presented them to the board.",
        "Portable air conditioning was installed on two floors; the rest is promised for next year.",
        True,
        ("heat", "schools"),
        7,
    ),
    DemoReport(
        "Mould in the tower blocks",
        "Mould in the high-rises, and the tenants' repairs log",
        "platform",
        Mode.ANONYMOUS,
        PlaceKind.TENANCY,
        "L",
        "Toronto",
        PlaceSize.HUGE,
        "Black mould in bathrooms across several buildings. The landlord's answer to every complaint is to paint "
        "over it.",
        "Tenants started one repairs log for every building and went to the tribunal together.",
        "The tribunal ordered repairs in 60 units; the log continues.",
        True,
        ("housing", "repairs"),
        10,
    ),
    DemoReport(
        "Tips kept by the management",
        "Card tips kept back from kitchen and floor staff",
        "platform",
        Mode.ANONYMOUS,
        PlaceKind.WORKPLACE,
        "I",
        "Oakland",
        PlaceSize.SMALL,
        "Tips paid by card were 'pooled' but never reached the kitchen, and the floor staff got less each month.",
        "We compared payslips and asked, together, for the tip records.",
        "We are still waiting for the records.",
        False,
        ("wages", "hospitality"),
        12,
    ),
    DemoReport(
        "Zero-hours rotas at the retail park",
        "Rotas posted the night before",
        "center",
        Mode.PSEUDONYM,
        PlaceKind.WORKPLACE,
        "G",
        "Leeds",
        PlaceSize.MEDIUM,
        "Shifts are posted at 9pm for the next day. People with children or second jobs lose hours if they say no.",
        "A group of us asked for rotas two weeks ahead, as a petition signed by most of the shop floor.",
        "Rotas now go up a week ahead. We are still asking for two.",
        True,
        ("rotas", "retail"),
        15,
        "Till three",
    ),
    DemoReport(
        "Dust on the cutting line",
        "Dust on the cutting line",
        "platform",
        Mode.ANONYMOUS,
        PlaceKind.WORKPLACE,
        "C",
        "Melbourne",
        PlaceSize.MEDIUM,
        "The extraction on the cutting line has been broken for months. Masks are handed out, but not the right ones.",
        "We reported it to the safety representative and kept copies of every report.",
        "An inspection is booked.",
        False,
        ("safety",),
        17,
    ),
)

PENDING = DemoReport(
    "Unpaid handover time on the wards",
    "",
    "circle",
    Mode.ANONYMOUS,
    PlaceKind.WORKPLACE,
    "Q",
    "Leeds",
    PlaceSize.LARGE,
    "We are expected on the ward 15 minutes before the shift for handover, and it is never paid. It adds up to more "
    "than an hour a week for each of us.",
    "A few of us have started writing down the real start times.",
    "",
    False,
    (),
    0,
)
PENDING_QUESTION = (
    "Thank you for this. Is the early handover the same on every ward, or only on some? And would you be happy for "
    "us to say it is a large hospital in Leeds, without naming it?"
)


def _desk(*, circle: Circle | None, center: Center | None, name: str, reviewers: list[Person]) -> tuple[Desk, int]:
    desk = Desk.objects.filter(circle=circle, center=center).first()
    created = 0
    if desk is None:
        desk = Desk.objects.create(circle=circle, center=center, name=name)
        created = 1
    for person in reviewers:
        Reviewer.objects.get_or_create(desk=desk, person=person)
    return desk, created


def _submit(spec: DemoReport, desk: Desk) -> Report:
    submitted = services_intake.submit_report(
        None,
        mode=spec.mode,
        desks=[desk],
        title=spec.title,
        place_kind=spec.place_kind,
        sector=spec.sector,
        region=spec.region,
        place_size=spec.size,
        what_happened=spec.what_happened,
        what_we_did=spec.what_we_did,
        outcome=spec.outcome,
        is_win=spec.win,
        pseudonym=spec.pseudonym,
    )
    return submitted.report


def _publish(spec: DemoReport, report: Report, desk: Desk, reviewer: Person, on: date) -> None:
    version = Version.objects.create(
        report=report,
        number=1,
        title=spec.published_title,
        region=spec.region,
        what_happened=spec.what_happened,
        what_we_did=spec.what_we_did,
        outcome=spec.outcome,
        note="Made the workplace generic.",
        proposed_by=reviewer,
        proposed_on=on - timedelta(days=7),
        status=VersionStatus.PROPOSED,
    )
    services_intake.approve_version(report=report, number=version.number)
    report.topics.set(tags_from_names(spec.topics, "topics"))
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.PUBLISHED,
        published_version=version,
        published_by_desk=desk,
        published_on=on,
        submitted_on=on - timedelta(days=14),
        last_activity_on=on,
    )


def load_demo_reports(people: dict[str, Person], circles: dict[str, Circle], centers: dict[str, Center]) -> int:
    """Create the demo desks and reports that are missing; return how many reports were created."""
    created = 0
    today = timezone.localdate()
    with transaction.atomic():
        platform, _n = _desk(circle=None, center=None, name="The platform's editors", reviewers=[people["admin"]])
        circle_desk, _n = _desk(
            circle=circles[CIRCLE_DESK], center=None, name="Leeds Infirmary Workers' desk",
            reviewers=[people["organiser"]],
        )  # fmt: skip
        center_desk, _n = _desk(
            circle=None, center=centers[CENTER_DESK], name="Common Ground Press reports", reviewers=[people["editor"]]
        )
        desks: dict[str, tuple[Desk, Person]] = {
            "platform": (platform, people["admin"]),
            "circle": (circle_desk, people["organiser"]),
            "center": (center_desk, people["editor"]),
        }
        for spec in PUBLISHED:
            if Report.objects.filter(title=spec.title).exists():
                continue
            desk, reviewer = desks[spec.desk]
            report = _submit(spec, desk)
            _publish(spec, report, desk, reviewer, today - timedelta(days=30 * spec.months_ago + 3))
            created += 1
        if not Report.objects.filter(title=PENDING.title).exists():
            desk, reviewer = desks[PENDING.desk]
            report = _submit(PENDING, desk)
            stored = passphrase.hash_passphrase(DEMO_PASSPHRASE)
            Report.objects.filter(pk=report.pk).update(
                passphrase_hash=stored,
                passphrase_bucket=passphrase.bucket_of(stored),
                status=ReportStatus.AWAITING_REPORTER,
            )
            Message.objects.create(report=report, reviewer=reviewer, desk=desk, body=PENDING_QUESTION)
            created += 1
    if created:
        published_changed()
    return created


def demo_summary() -> dict[str, Any]:
    """What the demo command may print for the reports part."""
    return {
        "passphrase": DEMO_PASSPHRASE,
        "inbox": "/reports/inbox/",
        "desks": "/reports/desks/",
        "reviewers": "organiser (circle desk), editor (center desk), admin (platform desk); set up two-factor first",
    }
