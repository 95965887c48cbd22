"""The `freshground` command: Django's management commands, with the project's settings already chosen."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freshground.settings")
    if len(args) > 1 and args[1] == "demo":
        # The demo is a local trial: debug pages, mail printed to the console, data under ./var/.
        os.environ.setdefault("DEBUG", "1")
        os.environ.setdefault("EMAIL_URL", "console://")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
