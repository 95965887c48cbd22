"""Forms for the debate pages. They check shape only; services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from freshground.debate.models import BODY_MAX_LENGTH, Position, Side
from freshground.network.forms import NamedGroupForm


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class DebateFilterForm(forms.Form):
    q = forms.CharField(label=_("Question contains"), required=False, max_length=120, widget=forms.SearchInput)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Open and closed")), ("open", _("Open")), ("closed", _("Closed"))],
    )
    group = forms.ChoiceField(label=_("Opened by"), required=False)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=80)

    def __init__(self, *args: Any, group_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("Anyone")), *group_choices]  # type: ignore[attr-defined]


class DebateForm(forms.Form):
    owner = forms.ChoiceField(label=_("Open it in the name of"), required=False)
    question = forms.CharField(label=_("Question"), max_length=200)
    opening_statement = forms.CharField(
        label=_("Opening statement"),
        max_length=BODY_MAX_LENGTH * 3,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: *emphasis*, **strong**, lists, links. Readers may comment on each paragraph."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("After this moment no new arguments are taken; its moderators then write the summary."),
    )
    topics = forms.CharField(label=_("Topics"), required=False, max_length=400, help_text=_("Separate with commas."))
    positions = forms.CharField(
        label=_("Positions to start with"),
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line. Anyone may propose more while the debate is open."),
    )

    def __init__(self, *args: Any, owner_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owner_choices  # type: ignore[attr-defined]

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "question": data["question"],
            "opening_statement": data["opening_statement"],
            "closes_at": data.get("closes_at"),
            "topics": [t.strip() for t in (data.get("topics") or "").split(",") if t.strip()],
            "positions": _lines(data.get("positions") or ""),
        }


class PositionForm(forms.Form):
    title = forms.CharField(label=_("Position"), max_length=200)
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ArgumentForm(forms.Form):
    position = forms.TypedChoiceField(label=_("Position"), coerce=int)
    side = forms.ChoiceField(label=_("Side"), choices=Side.choices, widget=forms.RadioSelect)
    body = forms.CharField(
        label=_("Your argument"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown. Make the case so that someone from another circle could be convinced."),
    )
    shown_circles = forms.TypedMultipleChoiceField(
        label=_("Show these circles of mine beside it (optional)"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, positions: list[Position], circle_choices: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [(p.pk, p.title) for p in positions]  # type: ignore[attr-defined]
        self.fields["shown_circles"].choices = circle_choices  # type: ignore[attr-defined]
        if not circle_choices:
            del self.fields["shown_circles"]


class InviteForm(NamedGroupForm):
    """Invite a circle or a center to state its position."""


class StatementForm(forms.Form):
    statement = forms.CharField(
        label=_("Statement"), max_length=BODY_MAX_LENGTH * 2, widget=forms.Textarea(attrs={"rows": 10})
    )
    position = forms.TypedChoiceField(
        label=_("It supports the position (optional)"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, positions: list[Position], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [("", _("None in particular")), *[(p.pk, p.title) for p in positions]]  # type: ignore[attr-defined]


class SummaryForm(forms.Form):
    positions = forms.CharField(
        label=_("The main positions"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )
    agreements = forms.CharField(
        label=_("Where people agreed"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )
    open_questions = forms.CharField(
        label=_("What remains open"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )
