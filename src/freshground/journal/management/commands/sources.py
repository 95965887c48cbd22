"""`freshground sources …`: the journal's sources from the command line.

freshground sources add URL [--name N] [--kind K] [--language L] [--topic T …]   discover the feed, add it active,
                                                                                  print its slug
freshground sources list [--all]                                                  slug, status, health, feed address
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from freshground.core.exceptions import DomainError
from freshground.journal import services_sources
from freshground.journal.models import Source, SourceKind, SourceStatus


class Command(BaseCommand):
    help = _("The journal's sources: add one (its feed is discovered) or list them.")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{add,list}")
        add = commands.add_parser("add", help=_("Add a feed, or a page that advertises one, as an active source."))
        add.add_argument("url", help=_("The feed's address, or a web page that links to its feed."))
        add.add_argument("--name", default="", help=_("The source's name (by default the feed's title)."))
        add.add_argument("--kind", default=SourceKind.OTHER, choices=SourceKind.values, help=_("The kind of source."))
        add.add_argument("--language", default="", help=_("A language code such as en or es."))
        add.add_argument("--topic", action="append", default=[], help=_("A topic (repeat for several)."))
        listing = commands.add_parser("list", help=_("List the sources with their fetching health."))
        listing.add_argument("--all", action="store_true", help=_("Include proposed, paused and rejected sources."))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "add":
            self.add(options)
        else:
            self.list(options)

    def add(self, options: dict[str, Any]) -> None:
        try:
            source = services_sources.propose_source(
                None,
                url=options["url"],
                name=options["name"],
                kind=options["kind"],
                language=options["language"],
                topics=options["topic"],
            )
        except DomainError as error:
            raise CommandError(_("The source was not added: %(error)s") % {"error": error.message}) from error
        self.stdout.write(_("Added %(name)s (%(feed)s).") % {"name": source.name, "feed": source.feed_url})
        self.stdout.write(source.slug)

    def list(self, options: dict[str, Any]) -> None:
        queryset = Source.objects.order_by("name", "id")
        if not options["all"]:
            queryset = queryset.filter(status=SourceStatus.ACTIVE)
        for source in queryset:
            if source.consecutive_failures:
                health = _("failing ×%(n)d") % {"n": source.consecutive_failures}
            elif source.last_success_at:
                health = _("ok")
            else:
                health = _("not fetched yet")
            self.stdout.write(f"{source.slug}\t{source.status}\t{health}\t{source.entry_count}\t{source.feed_url}")
