from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from freshground.core.models import Tag
from freshground.journal.models import ItemKind, SourceKind
from freshground.journal.search import MAX_PAGE, MAX_QUERY_LENGTH, SearchFilters, Sort


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the journal"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text=_('Words, "a phrase", or -word to leave out.'),
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    item_kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("everything")), *ItemKind.choices])
    source_kind = forms.ChoiceField(
        label=_("Kind of source"), required=False, choices=[("", _("any source")), *SourceKind.choices]
    )
    language = forms.RegexField(
        label=_("Language"), regex=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", max_length=16, required=False
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[(Sort.RELEVANCE.value, _("best match")), (Sort.NEWEST.value, _("newest"))],
    )
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topics = Tag.objects.filter(is_topic=True).values_list("slug", "name")
        self.fields["topic"].choices = [("", _("any topic")), *topics]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            topic=data.get("topic") or "",
            item_kind=data.get("item_kind") or "",
            source_kind=data.get("source_kind") or "",
            language=(data.get("language") or "").lower(),
            since=data.get("since"),
            until=data.get("until"),
        )
