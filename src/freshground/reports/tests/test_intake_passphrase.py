from __future__ import annotations

import pytest

from freshground.reports import passphrase
from freshground.reports.models import Mode, Report
from freshground.reports.tests.intake_support import cheap_argon2_and_fresh_cache, submit

__all__ = ["cheap_argon2_and_fresh_cache"]

pytestmark = pytest.mark.django_db


def test_word_list_is_the_bundled_eff_large_list():
    words = passphrase.wordlist()
    assert len(words) == 7776 == len(set(words))
    assert words[0] == "abacus"
    assert words[-1] == "zoom"


def test_generated_passphrases_have_seven_words_from_the_list():
    seen = {passphrase.generate() for _ in range(50)}
    assert len(seen) == 50
    for phrase in seen:
        words = phrase.split(" ")
        assert len(words) >= 7
        assert set(words) <= set(passphrase.wordlist())


def test_only_an_argon2_hash_is_stored_and_it_opens_the_report():
    done = submit()
    report = Report.objects.get(pk=done.report.pk)
    assert done.passphrase
    assert done.passphrase not in report.passphrase_hash
    assert "$argon2id$" in report.passphrase_hash
    assert passphrase.open_report(done.passphrase) == report


def test_case_and_spacing_do_not_matter():
    done = submit()
    messy = "  " + "   ".join(word.upper() for word in done.passphrase.split()) + "\t"
    assert passphrase.open_report(messy) == done.report


def test_wrong_or_partial_passphrases_open_nothing():
    done = submit()
    words = done.passphrase.split()
    assert passphrase.open_report(" ".join(words[:-1])) is None
    assert passphrase.open_report(" ".join([*words[:-1], "zzzz"])) is None
    assert passphrase.open_report("") is None
    assert passphrase.open_report("x" * 5000) is None


def test_member_reports_never_open_with_a_passphrase(cast):
    done = submit(cast.member, mode=Mode.MEMBER)
    assert done.passphrase is None
    assert done.report.passphrase_hash == ""


def test_repeated_failures_on_one_prefix_are_throttled_then_other_prefixes_still_work():
    done = submit()
    words = done.passphrase.split()
    wrong = " ".join([*words[:2], "a", "b", "c", "d", "e"])
    for _ in range(passphrase.PREFIX_LIMIT):
        assert passphrase.open_report(wrong) is None
    with pytest.raises(passphrase.Throttled):
        passphrase.open_report(" ".join([*words[:2], "x", "y", "z", "w", "v"]))
    # The right passphrase shares the throttled prefix: it waits too (the throttle cannot tell who is guessing).
    with pytest.raises(passphrase.Throttled):
        passphrase.open_report(done.passphrase)
    other = submit()
    if other.passphrase.split()[:2] != words[:2]:
        assert passphrase.open_report(other.passphrase) == other.report


def test_global_throttle_caps_failures_across_all_prefixes(monkeypatch):
    monkeypatch.setattr(passphrase, "GLOBAL_LIMIT", 3)
    for i in range(3):
        assert passphrase.open_report(f"w{i} one two three four five six") is None
    with pytest.raises(passphrase.Throttled):
        passphrase.open_report("fresh start seven words are here now")


def test_throttle_keys_reveal_nothing_of_the_passphrase():
    from django.core.cache import cache

    phrase = "alpha bravo charlie delta echo foxtrot golf"
    passphrase.open_report(phrase)
    keys = list(getattr(cache, "_cache", {}).keys())
    assert keys
    for key in keys:
        assert "alpha" not in key
        assert "bravo" not in key
