"""Reporters' forms: the report itself, the passphrase, answers and decisions. Validation of substance lives in
services_intake; these forms only shape the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from freshground.reports import images
from freshground.reports.models import TEXT_MAX_LENGTH, Desk, Mode, PlaceKind, PlaceSize
from freshground.reports.sectors import sector_choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class DeskChoiceField(forms.ModelMultipleChoiceField[Desk]):
    def label_from_instance(self, obj: Any) -> str:
        desk: Desk = obj
        if desk.is_platform:
            return str(_("The platform's editors (%(name)s)") % {"name": desk.name})
        return desk.name


def _mode_choices(signed_in: bool) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [
        (Mode.ANONYMOUS.value, _("Anonymously: no account, no name. You get a passphrase to come back.")),
        (Mode.PSEUDONYM.value, _("Under a pseudonym for this report only, never linked to any account.")),
    ]
    if signed_in:
        choices.append((Mode.MEMBER.value, _("Under my display name, from my account.")))
    return choices


class ReportForm(forms.Form):
    mode = forms.ChoiceField(label=_("How do you want to report?"), widget=forms.RadioSelect)
    pseudonym = forms.CharField(
        label=_("Pseudonym (optional)"),
        required=False,
        max_length=60,
        help_text=_("Only if you report under a pseudonym. Leave it empty and we make one up. Not your real name."),
    )
    title = forms.CharField(label=_("Title"), max_length=160)
    place_kind = forms.ChoiceField(label=_("What kind of place?"), choices=PlaceKind.choices)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=sector_choices(blank=_("Not sure / none")))
    sector_detail = forms.CharField(
        label=_("Sector, in your words (optional)"),
        required=False,
        max_length=120,
        help_text=_("For example: hospital cleaning, delivery riders, secondary school."),
    )
    region = forms.CharField(
        label=_("City or region (optional)"),
        required=False,
        max_length=120,
        help_text=_("A city or a region at most. Never a street, a postcode or the name of the workplace."),
    )
    place_size = forms.ChoiceField(
        label=_("How many people work or live there?"), required=False, choices=PlaceSize.choices
    )
    what_happened = forms.CharField(label=_("What happened?"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea)
    what_we_did = forms.CharField(
        label=_("What did people do about it? (optional)"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea,
    )
    outcome = forms.CharField(
        label=_("What came of it? (optional)"), required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea
    )
    is_win = forms.BooleanField(label=_("This was a win others can learn from"), required=False)
    desks = DeskChoiceField(
        label=_("Who may read your report?"),
        queryset=Desk.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only the reviewers of the desks you choose can read it. Nothing is public until you approve it."),
    )
    attachments = MultipleFileField(
        label=_("Pictures or documents (optional)"),
        required=False,
        help_text=_(
            "Up to %(n)d files. Pictures (JPEG, PNG, WebP, GIF) are copied without their hidden details (location, "
            "camera, date). PDFs and office documents are kept as sent, with their hidden details."
        )
        % {"n": images.MAX_ATTACHMENTS},
    )
    confirm_documents = forms.BooleanField(
        label=_(
            "I understand that PDFs and office documents can reveal who wrote them, on which computer and what was "
            "changed, and I want to send them as they are."
        ),
        required=False,
    )

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mode = self.fields["mode"]
        assert isinstance(mode, forms.ChoiceField)
        mode.choices = _mode_choices(signed_in)
        self.initial.setdefault("mode", Mode.ANONYMOUS.value)
        desks = self.fields["desks"]
        assert isinstance(desks, DeskChoiceField)
        desks.queryset = Desk.objects.filter(is_active=True).select_related("circle", "center")


class PassphraseForm(forms.Form):
    passphrase = forms.CharField(
        label=_("Your passphrase"),
        max_length=400,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
        help_text=_("The words you were given when you sent your report, with spaces between them."),
    )


class AnswerForm(forms.Form):
    body = forms.CharField(label=_("Your answer"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("What should change? (optional)"), required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea
    )
