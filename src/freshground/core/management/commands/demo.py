"""`freshground demo`: set up a local trial with a small network, print the logins and serve it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from freshground.core.demo_data import load_demo
from freshground.core.demo_network import DEMO_PASSWORD
from freshground.reports.demo import demo_summary


class Command(BaseCommand):
    help = _("Create the demo network (safe to run again), print the demo logins and run the development server.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help=_("Port for the development server."))
        parser.add_argument("--addr", default="127.0.0.1", help=_("Address for the development server."))
        parser.add_argument("--no-serve", action="store_true", help=_("Load the demo data and stop."))

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            # The demo accounts share a published password: never load them into a real site by accident.
            raise CommandError(
                _("The demo only runs with DEBUG on. Start it with `freshground demo`, which turns DEBUG on.")
            )
        port: int = options["port"]
        if not 1 <= port <= 65535:
            raise CommandError(_("--port must be between 1 and 65535."))
        self.stdout.write(_("Data folder: %(path)s") % {"path": settings.DATA_DIR})
        call_command("migrate", interactive=False, verbosity=0)
        report = load_demo()
        if report.created:
            made = ", ".join(f"{count} {what}" for what, count in sorted(report.created.items()))
            self.stdout.write(_("Demo network created: %(made)s.") % {"made": made})
        else:
            self.stdout.write(_("Demo network already in place; nothing new was created."))
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Demo logins (password for all: %(p)s)") % {"p": DEMO_PASSWORD}))
        for login in report.logins:
            self.stdout.write(f"  {login.email:<24} {login.name:<16} {login.role}")
        self.stdout.write("")
        reports = demo_summary()
        self.stdout.write(
            _("Reports from below: an anonymous reporter's passphrase, to open %(inbox)s and answer a question:")
            % {"inbox": reports["inbox"]}
        )
        self.stdout.write(f"  {reports['passphrase']}")
        self.stdout.write(
            _("Reviewing reports (%(desks)s) needs two-factor: the desk page walks a reviewer through setting it up.")
            % {"desks": reports["desks"]}
        )
        self.stdout.write("")
        if options["no_serve"]:
            return
        addr: str = options["addr"]
        host = f"[{addr}]" if ":" in addr else addr
        self.stdout.write(_("Open http://%(host)s:%(port)d/ — press Ctrl+C to stop.") % {"host": host, "port": port})
        call_command("runserver", f"{host}:{port}", use_reloader=False)
