"""`freshground fetch-feeds [--once] [--source SLUG …]`: fetch the journal's sources from the command line.

--once   fetch every due active source once, print a summary and exit (without it: keep fetching, every --every s)
--source fetch these sources now, due or not (implies --once)
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils.translation import gettext as _

from freshground.journal import fetching
from freshground.journal.models import Source


class Command(BaseCommand):
    help = _("Fetch the journal's due sources (once, or in a loop).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help=_("Fetch every due source once and exit."))
        parser.add_argument(
            "--source", action="append", default=[], metavar="SLUG", help=_("Fetch this source now (repeatable).")
        )
        parser.add_argument("--threads", type=int, default=8, help=_("Hosts fetched in parallel."))
        parser.add_argument("--limit", type=int, default=1000, help=_("At most this many sources per round."))
        parser.add_argument("--every", type=float, default=60.0, help=_("Seconds between rounds without --once."))
        parser.add_argument("--gap", type=float, default=None, help=_("Seconds between two fetches of one host."))

    def handle(self, *args: Any, **options: Any) -> None:
        slugs: list[str] = options["source"]
        if slugs:
            known = set(Source.objects.filter(slug__in=slugs).values_list("slug", flat=True))
            missing = [slug for slug in slugs if slug not in known]
            if missing:
                raise CommandError(_("No source called %(slugs)s.") % {"slugs": ", ".join(missing)})
        while True:
            summary = fetching.run(
                limit=options["limit"],
                workers=options["threads"],
                gap=options["gap"],
                slugs=slugs or None,
            )
            self.report(summary, verbose=options["verbosity"] > 1 or bool(slugs))
            if options["once"] or slugs:
                return
            close_old_connections()
            time.sleep(max(1.0, options["every"]))

    def report(self, summary: fetching.Summary, *, verbose: bool) -> None:
        if verbose:
            for outcome in summary.outcomes:
                if outcome.ok:
                    state = _("not modified") if outcome.not_modified else _("%(new)d new") % {"new": outcome.new}
                else:
                    state = _("failed: %(error)s") % {"error": outcome.error}
                self.stdout.write(f"{outcome.slug}: {state}")
        self.stdout.write(
            _(
                "%(claimed)d sources: %(fetched)d fetched, %(not_modified)d not modified, %(failed)d failed; "
                "%(new)d new and %(updated)d updated entries in %(seconds).1f s."
            )
            % summary.as_dict()
        )
