"""Forms for the journal's sources: propose, edit, review, filter, OPML import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from freshground.core.models import Tag
from freshground.core.permissions import is_site_admin
from freshground.journal.models import SourceKind, SourceStatus
from freshground.network.models import Center, Circle, Role

TAGS_HELP = _("Other topics, separated by commas.")


def split_tags(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class _TopicsMixin(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="slug",
    )
    other_topics = forms.CharField(label=_("Other topics"), max_length=500, required=False, help_text=TAGS_HELP)

    def _setup_topics(self) -> None:
        field = self.fields["topics"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Tag.objects.filter(is_topic=True).order_by("name")

    def topic_names(self) -> list[str]:
        chosen = [tag.name for tag in self.cleaned_data.get("topics") or []]
        return chosen + split_tags(self.cleaned_data.get("other_topics", ""))


def _editable_centers(person: Any) -> Any:
    if is_site_admin(person):
        return Center.objects.order_by("name")
    return Center.objects.filter(editorships__person=person).order_by("name").distinct()


class SourceProposeForm(_TopicsMixin):
    url = forms.CharField(
        label=_("Feed or page address"),
        max_length=2000,
        help_text=_("A feed's address, or a web page that advertises its feed."),
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    name = forms.CharField(
        label=_("Name"), max_length=160, required=False, help_text=_("By default, the feed's title.")
    )
    site_url = forms.CharField(label=_("Website"), max_length=2000, required=False, widget=forms.URLInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices, initial=SourceKind.OTHER)
    language = forms.CharField(label=_("Language"), max_length=16, required=False, help_text=_("e.g. en, es, de"))
    description = forms.CharField(label=_("Description"), max_length=2000, required=False, widget=forms.Textarea)
    circle = forms.ModelChoiceField(
        label=_("Propose in the name of a circle"), queryset=Circle.objects.none(), required=False, to_field_name="slug"
    )
    for_center = forms.ModelChoiceField(
        label=_("Propose in the name of a center"), queryset=Center.objects.none(), required=False, to_field_name="slug"
    )
    center = forms.ModelChoiceField(
        label=_("The publication of a center"),
        queryset=Center.objects.none(),
        required=False,
        to_field_name="slug",
        help_text=_("Its entries then show on the center's journal page."),
    )

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_topics()
        circles = self.fields["circle"]
        assert isinstance(circles, forms.ModelChoiceField)
        circles.queryset = Circle.objects.filter(memberships__person=person, memberships__role=Role.ORGANISER).order_by(
            "name"
        )
        for name in ("for_center", "center"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = _editable_centers(person)


class SourceEditForm(_TopicsMixin):
    name = forms.CharField(label=_("Name"), max_length=160)
    feed_url = forms.CharField(label=_("Feed address"), max_length=2000, widget=forms.URLInput)
    site_url = forms.CharField(label=_("Website"), max_length=2000, required=False, widget=forms.URLInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices)
    language = forms.CharField(label=_("Language"), max_length=16, required=False)
    description = forms.CharField(label=_("Description"), max_length=2000, required=False, widget=forms.Textarea)
    center = forms.ModelChoiceField(
        label=_("The publication of a center"), queryset=Center.objects.none(), required=False, to_field_name="slug"
    )

    def __init__(self, *args: Any, person: Any, current_center: Center | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_topics()
        field = self.fields["center"]
        assert isinstance(field, forms.ModelChoiceField)
        queryset = _editable_centers(person)
        if current_center is not None:
            queryset = (queryset | Center.objects.filter(pk=current_center.pk)).distinct()
        field.queryset = queryset


class SourceFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any kind")), *SourceKind.choices], required=False)
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("Any language"))], required=False)
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", _("Any topic"))], required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Active and paused")), *SourceStatus.choices], required=False
    )

    def __init__(self, *args: Any, languages: list[str], topics: list[Tag], editor: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [("", _("Any language")), *[(code, code) for code in languages]]
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ChoiceField)
        topic.choices = [("", _("Any topic")), *[(tag.slug, tag.name) for tag in topics]]
        if not editor:
            del self.fields["status"]


class OpmlImportForm(forms.Form):
    file = forms.FileField(label=_("OPML file"))
    kind = forms.ChoiceField(
        label=_("Kind for feeds without a category"), choices=SourceKind.choices, initial=SourceKind.OTHER
    )
    language = forms.CharField(label=_("Language for feeds without one"), max_length=16, required=False)
