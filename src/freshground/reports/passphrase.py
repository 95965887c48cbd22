"""The reporter's only key: a server-generated diceware passphrase, of which only an Argon2 hash is stored.

`open_report(passphrase)` is the single place that checks a passphrase.

Storage. `Report.passphrase_hash` holds ``fg1$<bucket>$<argon2id encoded hash>``. The Argon2id hash has its own random
salt (argon2-cffi's defaults, RFC 9106 low-memory profile), so a database dump gives no shortcut. Salted hashes cannot
be looked up, so the four hex digits of `bucket` (16 bits of an unkeyed SHA-256 of the normalised passphrase) narrow
the search to about one report in 65,536 before the Argon2 check. A passphrase of 7 words from 7,776 has 90.5 bits;
revealing 16 of them leaves 74 bits for an attacker holding the database, far beyond any search. The bucket is not
keyed with SECRET_KEY on purpose: rotating the key must not lock reporters out.

Throttling (never by IP address: reporters' addresses are removed before any view runs, see reports.privacy, and must
never be stored, even hashed in a durable place). Two counters of failed attempts live in the cache only, each for a
short window (`WINDOW` seconds), under keys that are a keyed HMAC (SECRET_KEY) of the window number and:
- the passphrase's first two words, so guessing around a half-known passphrase is slowed to `PREFIX_LIMIT` tries per
  window (the cache sees neither the words nor anything that outlives the window: the window number changes the key);
- nothing else (a global counter), so a brute-force run from many addresses is capped at `GLOBAL_LIMIT` failures per
  window. This can slow honest reporters during an attack; it never locks anyone out for longer than one window.
The check happens before the (deliberately slow) Argon2 work, so the throttle also protects the server.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from freshground.core.exceptions import DomainError
from freshground.reports import throttle
from freshground.reports.models import Mode, Report

WORDS = 7
WORDLIST_PATH = Path(__file__).resolve().parent / "data" / "eff_large_wordlist.txt"
SCHEME = "fg1"
WINDOW = 10 * 60
PREFIX_LIMIT = 10
GLOBAL_LIMIT = 300

# OWASP's recommended Argon2id parameters (19 MiB, 2 passes, 1 lane); settings.REPORTS_ARGON2 may change them (the
# test settings make them cheap). The parameters are stored in each hash, so changing them never breaks old ones.
ARGON2_DEFAULTS = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}


def _hasher() -> PasswordHasher:
    return PasswordHasher(**{**ARGON2_DEFAULTS, **getattr(settings, "REPORTS_ARGON2", {})})


@cache
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    """A valid hash of a passphrase nobody has: verified when no report matches, so a miss costs the same time."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism).hash("-")


def _verify_dummy(normalised: str) -> None:
    hasher = _hasher()
    _verify(f"{SCHEME}$0000${_dummy_hash(hasher.time_cost, hasher.memory_cost, hasher.parallelism)}", normalised)


GENERIC_ERROR = _("No report opens with this passphrase. Check the words and their order, and try again.")
THROTTLED_ERROR = _("Too many attempts. Wait a few minutes, then try again.")


class Throttled(DomainError):
    status_code = 429

    def __init__(self) -> None:
        super().__init__(str(THROTTLED_ERROR), field="passphrase")


@cache
def wordlist() -> tuple[str, ...]:
    words = tuple(line.strip() for line in WORDLIST_PATH.read_text(encoding="utf-8").splitlines() if line.strip())
    if len(set(words)) < 7776:
        raise RuntimeError("The bundled passphrase word list must hold at least 7,776 distinct words.")
    return words


def generate(words: int = WORDS) -> str:
    """A new passphrase: `words` words drawn with the operating system's randomness, separated by spaces."""
    choices = wordlist()
    return " ".join(secrets.choice(choices) for _ in range(max(words, WORDS)))


def normalise(passphrase: str) -> str:
    """Case and spacing never matter: "  Abacus   ZOOM\ttopic " is "abacus zoom topic"."""
    return " ".join(passphrase.lower().split())


def _bucket(normalised: str) -> str:
    return hashlib.sha256(f"freshground-report-bucket:{normalised}".encode()).hexdigest()[:4]


def hash_passphrase(passphrase: str) -> str:
    """What `Report.passphrase_hash` stores for this passphrase."""
    normalised = normalise(passphrase)
    return f"{SCHEME}${_bucket(normalised)}${_hasher().hash(normalised)}"


def bucket_of(stored_hash: str) -> str:
    """The bucket written into a stored hash, for `Report.passphrase_bucket` (the indexed column open_report reads)."""
    parts = stored_hash.split("$", 2)
    return parts[1] if len(parts) == 3 and parts[0] == SCHEME else ""


def _throttle_keys(normalised: str) -> dict[str, int]:
    prefix = " ".join(normalised.split()[:2])
    return {
        throttle.key("prefix", prefix, window=WINDOW): PREFIX_LIMIT,
        throttle.key("global", "", window=WINDOW): GLOBAL_LIMIT,
    }


def _verify(stored: str, normalised: str) -> bool:
    try:
        scheme, _bucket_part, encoded = stored.split("$", 2)
        return scheme == SCHEME and _hasher().verify(encoded, normalised)
    except (ValueError, VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def open_report(passphrase: str) -> Report | None:
    """The report this passphrase opens, or None. Raises Throttled after too many failures (see the module doc).

    Only pseudonymous and anonymous reports open with a passphrase; a member's report opens from their account.
    """
    normalised = normalise(passphrase)
    keys = _throttle_keys(normalised)
    if throttle.reached(keys):
        raise Throttled()
    found: Report | None = None
    if len(normalised.split()) >= WORDS and len(normalised) <= 400:
        candidates = list(
            Report.objects.filter(passphrase_bucket=_bucket(normalised)).exclude(mode=Mode.MEMBER).order_by("id")
        )
        for candidate in candidates:
            if _verify(candidate.passphrase_hash, normalised):
                found = candidate
                break
        if not candidates:
            _verify_dummy(normalised)
    else:
        _verify_dummy(normalised)
    if found is None:
        throttle.count(keys, window=WINDOW)
    return found
