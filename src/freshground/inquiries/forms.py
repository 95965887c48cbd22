"""Forms for inquiries: the inquiry itself, one question in the builder, and the answer form built from questions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from freshground.inquiries.models import SHORT_TEXT_MAX_LENGTH, TEXT_MAX_LENGTH, Question, QuestionKind
from freshground.inquiries.services import AnswerValue, InquiryFields, QuestionFields
from freshground.reports.sectors import sector_choices


class InquiryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Why you ask and what will happen with the answers. Markdown allowed."),
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[])
    sector_detail = forms.CharField(label=_("Sector, in your words"), required=False, max_length=120)
    region = forms.CharField(
        label=_("Place or region"), required=False, max_length=120, help_text=_("A city or a region, not finer.")
    )
    owner = forms.ChoiceField(label=_("Published by"), choices=[])
    opens_on = forms.DateField(
        label=_("Opens on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to open when you publish."),
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to keep it open until you close it."),
    )

    def __init__(self, *args: Any, owners: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = sector_choices(blank=_("Choose a sector"))  # type: ignore[attr-defined]
        if owners is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].choices = owners  # type: ignore[attr-defined]

    def inquiry_fields(self) -> InquiryFields:
        data = self.cleaned_data
        return InquiryFields(
            title=data["title"],
            introduction=data.get("introduction") or "",
            sector=data.get("sector") or "",
            sector_detail=data.get("sector_detail") or "",
            region=data.get("region") or "",
            opens_on=data.get("opens_on"),
            closes_on=data.get("closes_on"),
        )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=500)
    help_text = forms.CharField(label=_("Explanation (optional)"), required=False, max_length=500)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    options = forms.CharField(
        label=_("Options (for a choice), one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=7000,
    )
    scale_min = forms.IntegerField(label=_("Scale from"), min_value=0, max_value=10, initial=1, required=False)
    scale_max = forms.IntegerField(label=_("Scale to"), min_value=0, max_value=10, initial=5, required=False)
    scale_min_label = forms.CharField(label=_("The lowest value means"), required=False, max_length=80)
    scale_max_label = forms.CharField(label=_("The highest value means"), required=False, max_length=80)

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        return {
            "kind": question.kind,
            "text": question.text,
            "help_text": question.help_text,
            "required": question.required,
            "options": "\n".join(option.text for option in question.options.all()),
            "scale_min": question.scale_min,
            "scale_max": question.scale_max,
            "scale_min_label": question.scale_min_label,
            "scale_max_label": question.scale_max_label,
        }

    def question_fields(self) -> QuestionFields:
        data = self.cleaned_data
        scale_min = data.get("scale_min")
        scale_max = data.get("scale_max")
        return QuestionFields(
            kind=data["kind"],
            text=data["text"],
            help_text=data.get("help_text") or "",
            required=bool(data.get("required")),
            options=(data.get("options") or "").splitlines(),
            scale_min=1 if scale_min is None else scale_min,
            scale_max=5 if scale_max is None else scale_max,
            scale_min_label=data.get("scale_min_label") or "",
            scale_max_label=data.get("scale_max_label") or "",
        )


def field_name(question: Question) -> str:
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    """One field per question, named q<question id>. Works without JavaScript: radios, checkboxes, textareas."""

    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[field_name(question)] = self._field_for(question)

    @staticmethod
    def _field_for(question: Question) -> forms.Field:
        common: dict[str, Any] = {"label": question.text, "help_text": question.help_text, "required": False}
        if question.kind == QuestionKind.SHORT_TEXT:
            return forms.CharField(max_length=SHORT_TEXT_MAX_LENGTH, **common)
        if question.kind == QuestionKind.LONG_TEXT:
            return forms.CharField(max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5}), **common)
        if question.kind == QuestionKind.SCALE:
            choices = []
            for value in question.scale_values:
                label = str(value)
                if value == question.scale_min and question.scale_min_label:
                    label = f"{value} ({question.scale_min_label})"
                elif value == question.scale_max and question.scale_max_label:
                    label = f"{value} ({question.scale_max_label})"
                choices.append((str(value), label))
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect(attrs={"class": "scale"}), **common)
        choices = [(str(option.pk), option.text) for option in question.options.all()]
        if question.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)

    def bound_questions(self) -> list[tuple[Question, forms.BoundField]]:
        return [(question, self[field_name(question)]) for question in self.questions]

    def answers(self) -> dict[int, AnswerValue]:
        """The answers by question id (the services check required answers, option ids and ranges)."""
        out: dict[int, AnswerValue] = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if question.kind == QuestionKind.MULTIPLE:
                out[question.pk] = [int(item) for item in value or []]
            elif question.kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
                out[question.pk] = int(value) if value not in (None, "") else None
            else:
                out[question.pk] = value or ""
        return out
