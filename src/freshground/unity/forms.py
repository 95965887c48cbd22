"""Forms for the unity pages. They check shape only; services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from freshground.unity.models import DESCRIPTION_MAX_LENGTH, STATEMENT_MAX_LENGTH, TITLE_MAX_LENGTH
from freshground.unity.services import MAX_SEED_STATEMENTS


def lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class ConversationForm(forms.Form):
    owner = forms.ChoiceField(label=_("Open it in the name of"), required=False)
    title = forms.CharField(label=_("Topic"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    seed_statements = forms.CharField(
        label=_("Seed statements"),
        required=False,
        max_length=(STATEMENT_MAX_LENGTH + 1) * MAX_SEED_STATEMENTS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One a line, each at most 280 characters. Participants vote on them and add their own."),
    )
    needs_approval = forms.BooleanField(
        label=_("New statements need approval"),
        required=False,
        help_text=_("Statements written by participants wait until a moderator approves them."),
    )
    allow_anonymous = forms.BooleanField(
        label=_("Anonymous participation"),
        required=False,
        help_text=_("People may vote without signing in (a random key in a cookie tells their votes apart)."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, owner_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owner_choices  # type: ignore[attr-defined]

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data.get("description") or "",
            "seed_statements": lines(data.get("seed_statements") or ""),
            "needs_approval": bool(data.get("needs_approval")),
            "allow_anonymous": bool(data.get("allow_anonymous")),
            "closes_at": data.get("closes_at"),
        }


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX_LENGTH}),
        help_text=_("One clear thought others can agree or disagree with, at most 280 characters."),
    )


class DeclareForm(forms.Form):
    circles = forms.MultipleChoiceField(
        label=_("Circles you belong to"), required=False, widget=forms.CheckboxSelectMultiple
    )
    centers = forms.MultipleChoiceField(
        label=_("Centers you belong to"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, circle_choices: list[tuple[str, str]], center_choices: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["circles"].choices = circle_choices  # type: ignore[attr-defined]
        self.fields["centers"].choices = center_choices  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    preamble = forms.CharField(
        label=_("Preamble (optional)"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    statements = forms.MultipleChoiceField(
        label=_("Statements"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ranked by consensus across opinion groups; each shows its agree share."),
    )

    def __init__(self, *args: Any, statement_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["statements"].choices = statement_choices  # type: ignore[attr-defined]
