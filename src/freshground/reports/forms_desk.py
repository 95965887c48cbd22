"""Forms for desks, reviewers and readers. Thin: the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from freshground.core import content
from freshground.core.exceptions import DomainError
from freshground.people.models import Person
from freshground.reports import redaction
from freshground.reports.models import TEXT_MAX_LENGTH, Attachment, PlaceKind, Report, Version


class DeskForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("What this desk covers"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to reporters when they choose which desks may see their report."),
    )
    is_active = forms.BooleanField(label=_("Accepting new reports"), required=False)


class ReviewerForm(forms.Form):
    reviewer = forms.TypedChoiceField(label=_("Add a reviewer"), coerce=int, choices=())

    def __init__(self, *args: Any, candidates: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reviewer = self.fields["reviewer"]
        assert isinstance(reviewer, forms.TypedChoiceField)
        reviewer.choices = [("", _("Choose a person"))] + [(p.pk, p.display_name) for p in candidates]


class AskForm(forms.Form):
    body = forms.CharField(
        label=_("Your question to the reporter"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The reporter reads it in their inbox. Do not ask for anything that would identify them."),
    )


class VersionForm(forms.Form):
    pairs = forms.CharField(
        label=_("Replacements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "mono"}),
        help_text=_(
            "One a line: the text to replace, an arrow, and what to show instead. For example: "
            "“Jane Doe → [a manager]”, “St Mary's → [a hospital]”. Replacements ignore case and apply to every text."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=160)
    region = forms.CharField(label=_("City or region"), max_length=120, required=False)
    what_happened = forms.CharField(
        label=_("What happened"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8})
    )
    what_we_did = forms.CharField(
        label=_("What people did about it"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    outcome = forms.CharField(
        label=_("Outcome"), max_length=TEXT_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    note = forms.CharField(
        label=_("A note to the reporter about what you changed"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_pairs(self) -> list[redaction.Replacement]:
        try:
            return redaction.parse_pairs(self.cleaned_data.get("pairs") or "")
        except DomainError as error:
            raise forms.ValidationError(error.message) from error

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in redaction.REDACTED_FIELDS}

    @classmethod
    def initial_for(cls, report: Report, latest: Version | None) -> dict[str, str]:
        source: Report | Version = latest if latest is not None else report
        return {name: str(getattr(source, name) or "") for name in redaction.REDACTED_FIELDS}


class TopicsForm(forms.Form):
    topics = forms.CharField(
        label=_("Topics"),
        max_length=600,
        required=False,
        help_text=_("Separate topics with commas, e.g. “staffing, breaks, safety”."),
    )

    def names(self) -> list[str]:
        return [name.strip() for name in (self.cleaned_data.get("topics") or "").split(",") if name.strip()]


class ImagesForm(forms.Form):
    images = forms.TypedMultipleChoiceField(
        label=_("Images to publish with the report"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, images: list[Attachment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["images"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(image.pk, _("Image %(n)d") % {"n": index}) for index, image in enumerate(images, start=1)]


class DeclineForm(forms.Form):
    message = forms.CharField(
        label=_("A last message to the reporter (optional)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RelatedForm(forms.Form):
    label = forms.ChoiceField(label=_("Kind of item"), choices=())
    object_id = forms.IntegerField(label=_("Its number (id)"), min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["label"]
        assert isinstance(field, forms.ChoiceField)
        kinds: list[tuple[str, str]] = sorted(
            ((kind.label, str(kind.noun)) for kind in content.content_kinds() if kind.label != "reports.report"),
            key=lambda choice: choice[1],
        )
        field.choices = kinds


class PublishedFilterForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    place_kind = forms.ChoiceField(
        label=_("Kind of place"), required=False, choices=[("", _("Any")), *PlaceKind.choices]
    )
    region = forms.CharField(
        label=_("City or region"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"list": "report-regions"}),
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    wins = forms.BooleanField(label=_("Only wins"), required=False)

    def __init__(self, *args: Any, topics: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from freshground.reports.sectors import sector_choices

        sector = self.fields["sector"]
        assert isinstance(sector, forms.ChoiceField)
        sector.choices = sector_choices(blank=_("Any"))
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ChoiceField)
        topic.choices = [("", _("Any")), *topics]
