"""`freshground unity …`: points-of-unity conversations from the command line.

freshground unity import-polis DIR --title T [--open]   import comments.csv and votes.csv; prints the slug last
freshground unity report SLUG [--json] [--recompute]     the analysis (reusing a fresh one) as text or JSON
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from freshground.core.exceptions import DomainError
from freshground.unity import analysis_runs, queries
from freshground.unity.polis_import import import_conversation


class Command(BaseCommand):
    help = _("Points of unity: import a Pol.is export, or print a conversation's analysis.")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{import-polis,report}")
        importer = commands.add_parser(
            "import-polis", help=_("Import a conversation from a Pol.is export folder (comments.csv, votes.csv).")
        )
        importer.add_argument("directory", help=_("The folder holding comments.csv and votes.csv."))
        importer.add_argument("--title", required=True, help=_("The conversation's topic."))
        importer.add_argument(
            "--open", action="store_true", help=_("Keep it open for new votes (by default it is imported closed).")
        )
        report = commands.add_parser("report", help=_("Print the analysis of a conversation."))
        report.add_argument("slug", help=_("The conversation's short name (as import-polis printed it)."))
        report.add_argument("--json", action="store_true", help=_("Print JSON instead of text."))
        report.add_argument(
            "--recompute", action="store_true", help=_("Run the analysis again even if the last one is fresh.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import-polis":
            self.import_polis(options)
        else:
            self.report(options)

    def import_polis(self, options: dict[str, Any]) -> None:
        try:
            conversation = import_conversation(
                Path(options["directory"]), title=options["title"], keep_open=options["open"]
            )
        except DomainError as error:
            raise CommandError(_("Nothing was imported: %(error)s") % {"error": error.message}) from error
        counts = analysis_runs.counts(conversation)
        self.stdout.write(
            _("Imported %(statements)d statements, %(participants)d participants and %(votes)d votes.") % counts
        )
        self.stdout.write(conversation.slug)

    def report(self, options: dict[str, Any]) -> None:
        conversation = queries.conversation_by_slug(options["slug"])
        if conversation is None:
            raise CommandError(_("There is no conversation %(slug)s.") % {"slug": options["slug"]})
        snapshot = analysis_runs.latest_snapshot(conversation)
        if options["recompute"] or snapshot is None or not queries.is_fresh(snapshot):
            snapshot = analysis_runs.run_analysis(conversation)
        report = queries.report_json(conversation, snapshot)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False))
            return
        self.stdout.write(self.text(report))

    def text(self, report: dict[str, Any]) -> str:
        lines = [
            report["conversation"]["title"],
            _("%(participants)d participants (%(clustered)d in groups), %(statements)d statements, %(votes)d votes.")
            % report,
        ]
        for group in report["groups"]:
            lines.append("")
            lines.append(_("Group %(id)s: %(size)d participants") % group)
            for rep in group["representative"]:
                lines.append(f"  [{rep['direction']}] {rep['text']}")
        lines.append("")
        lines.append(_("Group-informed consensus:"))
        for item in report["consensus"]:
            lines.append(f"  {item['score']:.3f}  {item['text']}" if item["score"] is not None else f"  {item['text']}")
        return "\n".join(lines)
