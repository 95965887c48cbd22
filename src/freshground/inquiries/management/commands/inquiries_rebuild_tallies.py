"""`freshground inquiries_rebuild_tallies [--inquiry SLUG]`: recompute the results tallies from the stored answers."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from freshground.inquiries import queries, services


class Command(BaseCommand):
    help = _(
        "Recompute the counts behind inquiry results from the answers (after answers were imported or written "
        "directly). Submissions keep counting while it runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--inquiry", default=None, help=_("Only this inquiry (its slug). By default, all."))

    def handle(self, *args: Any, **options: Any) -> None:
        inquiry = None
        if options["inquiry"]:
            inquiry = queries.inquiry_by_slug(options["inquiry"])
            if inquiry is None:
                raise CommandError(_("There is no inquiry %(slug)s.") % {"slug": options["inquiry"]})
        started = time.perf_counter()
        written = services.rebuild_tallies(inquiry=inquiry)
        self.stdout.write(
            _("Wrote %(rows)d tally rows in %(seconds).1f s.")
            % {"rows": written, "seconds": time.perf_counter() - started}
        )
