from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from freshground.core.exceptions import DomainError
from freshground.core.validation import checked_text, closing_moment


def test_checked_text_cleans_and_names_the_field():
    assert checked_text("  two  words\x00 ", field="title", limit=20) == "two  words"
    with pytest.raises(DomainError) as empty:
        checked_text("   ", field="title", limit=20, message="Give it a title.")
    assert (empty.value.field, empty.value.message) == ("title", "Give it a title.")
    assert checked_text("", field="note", limit=5, required=False) == ""
    with pytest.raises(DomainError, match="At most 5 characters") as long:
        checked_text("abcdef", field="note", limit=5)
    assert long.value.field == "note"


def test_closing_moment_must_be_in_the_future():
    assert closing_moment(None) is None
    later = timezone.now() + timedelta(days=1)
    assert closing_moment(later) == later
    with pytest.raises(DomainError) as past:
        closing_moment(timezone.now() - timedelta(minutes=1), field="ends")
    assert past.value.field == "ends"
