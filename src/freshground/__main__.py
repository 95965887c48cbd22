"""The `freshground` command: Django's management commands, with the project's settings already chosen."""

from __future__ import annotations

import os
import sys

# Commands spelt with a dash on the command line (Django's command names are module names).
DASHED_COMMANDS = {"fetch-feeds": "fetch_feeds"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] in DASHED_COMMANDS:
        args[1] = DASHED_COMMANDS[args[1]]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freshground.settings")
    if len(args) > 1 and args[1] == "demo":
        # The demo is a local trial: debug pages, mail printed to the console, data under ./var/.
        os.environ.setdefault("DEBUG", "1")
        os.environ.setdefault("EMAIL_URL", "console://")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
