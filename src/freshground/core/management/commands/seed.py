"""`freshground seed --scale N`: a synthetic network of N people, for benchmarks and load tests."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from freshground.core.progress import raw_stream
from freshground.core.seeding import seed_network


class Command(BaseCommand):
    help = _("Create a synthetic network of N people with circles, centers, ties and follows (for benchmarks).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, required=True, help=_("How many people to create."))
        parser.add_argument("--seed", type=int, default=None, help=_("Random seed, for a repeatable shape."))
        parser.add_argument(
            "--password",
            default=None,
            help=_("Give every seeded person this password (hashed once). By default they cannot log in."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale: int = options["scale"]
        if scale < 1:
            raise CommandError(_("--scale must be at least 1."))
        report = seed_network(scale, seed=options["seed"], password=options["password"], stream=raw_stream(self))
        self.stdout.write(
            _(
                "Seeded run %(run)s in %(seconds).1f s: %(people)d people, %(circles)d circles, %(centers)d centers, "
                "%(memberships)d memberships, %(ties)d ties, %(follows)d follows."
            )
            % {
                "run": report.run,
                "seconds": report.seconds,
                "people": report.people,
                "circles": report.circles,
                "centers": report.centers,
                "memberships": report.memberships,
                "ties": report.ties,
                "follows": report.follows,
            }
        )
