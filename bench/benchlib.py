"""What the benchmark scripts share: a line describing the machine, and a Django set up on a data folder.

Scripts run as `uv run python bench/<name>.py`, so this folder is on the import path: `from benchlib import …`.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def machine() -> str:
    """CPUs, memory, system and versions, for the header of a result."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import django

    return (
        f"{os.cpu_count()} × {cpu}{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, Django {django.get_version()}, SQLite {sqlite3.sqlite_version}"
    )


def setup(data: Path, database_url: str = "", *, migrate: bool = True) -> None:
    """Django with the production settings on `data` (SQLite there, or `database_url`), served to the test client
    without collected static files, migrated unless told not to."""
    os.environ["FRESHGROUND_DATA"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "freshground.settings"
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["FRESHGROUND_INSECURE_HTTP"] = "1"
    os.environ.pop("REDIS_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.signals import setting_changed

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    setting_changed.send(sender=None, setting="STORAGES", value=settings.STORAGES, enter=True)
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
