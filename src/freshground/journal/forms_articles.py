"""Forms for writing, submitting and reviewing articles, and for sharing links. Validation of meaning is in the
services; these only collect the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from freshground.core.models import Tag
from freshground.journal.models import ARTICLE_BODY_MAX_LENGTH, ARTICLE_TITLE_MAX_LENGTH, Licence
from freshground.network.models import Center, Circle


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=ARTICLE_TITLE_MAX_LENGTH)
    standfirst = forms.CharField(
        label=_("Summary"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences shown in lists and feeds."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=ARTICLE_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 24, "class": "markdown-editor"}),
        help_text=_(
            "Markdown: **bold**, *italic*, [link](https://…), ## headings, tables, and footnotes: a marker [^1] in "
            "the text and a line “[^1]: the note” anywhere."
        ),
    )
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices, initial=Licence.CC_BY_SA)
    language = forms.CharField(
        label=_("Language"), max_length=16, required=False, help_text=_("For example en, de, fr.")
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(label=_("Other tags"), max_length=500, required=False, help_text=_("Separated by commas."))
    image = forms.ImageField(
        label=_("Add an image"),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP or GIF. It is stored without its hidden details (location, camera) and added "
            "at the end of the text as Markdown, which you can move."
        ),
    )
    image_alt = forms.CharField(
        label=_("Describe the image for people who cannot see it"), max_length=500, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Tag.objects.filter(is_topic=True)  # type: ignore[attr-defined]

    def topic_values(self) -> list[Tag | str]:
        chosen: list[Tag | str] = list(self.cleaned_data.get("topics") or [])
        chosen += [name.strip() for name in (self.cleaned_data.get("tags") or "").split(",") if name.strip()]
        return chosen


class SubmitForm(forms.Form):
    centers = forms.ModelMultipleChoiceField(
        label=_("Centers"), queryset=Center.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    circles = forms.ModelMultipleChoiceField(
        label=_("Circles"), queryset=Circle.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centers"].queryset = Center.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["circles"].queryset = Circle.objects.order_by("name")  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the author"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return it."),
    )


class ShareForm(forms.Form):
    url = forms.URLField(label=_("Address of the page"), max_length=2000, assume_scheme="https")
    comment = forms.CharField(
        label=_("Why it is worth reading"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    place = forms.ChoiceField(label=_("Share in the name of"), required=False)
    tags = forms.CharField(label=_("Topics"), max_length=500, required=False, help_text=_("Separated by commas."))

    def __init__(self, *args: Any, places: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", _("Myself"))] + (places or [])  # type: ignore[attr-defined]

    def topic_values(self) -> list[str]:
        return [name.strip() for name in (self.cleaned_data.get("tags") or "").split(",") if name.strip()]
