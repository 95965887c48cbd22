"""Read Fresh Ground's configuration from the environment.

Every setting has a safe production default; the demo and the tests set their own values before Django starts.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE_WORDS


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    """Where the embedded database, the cache and the generated secret key live."""
    return Path(os.environ.get("FRESHGROUND_DATA") or "var").resolve()


def secret_key(data: Path) -> str:
    """Use SECRET_KEY, or a key generated once and kept (mode 0600) in the data folder."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    key_file = data / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    # Create with restrictive permissions from the start so the key is never world-readable.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def parse_email_url(url: str) -> dict[str, Any]:
    """Turn EMAIL_URL (console://, locmem://, dummy://, file:///path, smtp://u:p@host:587, smtps://…) into a mailer."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    simple = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    if scheme in simple:
        return {"BACKEND": simple[scheme]}
    if scheme == "file":
        return {"BACKEND": "django.core.mail.backends.filebased.EmailBackend", "OPTIONS": {"file_path": parts.path}}
    if scheme in {"smtp", "smtps", "submission"}:
        query = parse_qs(parts.query)
        use_ssl = scheme == "smtps" or "ssl" in query
        use_tls = not use_ssl and (scheme == "submission" or "tls" in query or parts.port == 587)
        default_port = 465 if use_ssl else (587 if use_tls else 25)
        options: dict[str, Any] = {
            "host": parts.hostname or "localhost",
            "port": parts.port or default_port,
            "use_tls": use_tls,
            "use_ssl": use_ssl,
            "timeout": 20,
        }
        if parts.username:
            options["username"] = unquote(parts.username)
            options["password"] = unquote(parts.password or "")
        return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    raise ImproperlyConfigured(f"EMAIL_URL has an unknown scheme {scheme!r}.")
