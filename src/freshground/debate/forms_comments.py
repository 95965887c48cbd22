"""Forms for comments. They parse input; services_comments decides and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from freshground.debate.models import BODY_MAX_LENGTH
from freshground.debate.queries_comments import author_circles
from freshground.network.models import Circle


def quote(text: str, name: str = "") -> str:
    """The comment's text as a markdown quote, ready to reply under."""
    lines = [f"> {line}".rstrip() for line in (text or "").strip().splitlines()]
    head = [f"> **{name}:**", ">"] if name else []
    return "\n".join([*head, *lines]) + "\n\n"


class CommentForm(forms.Form):
    """A new comment or a reply. The circles to show are the author's own, never preselected."""

    body = forms.CharField(
        label=_("Your comment"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown works: *emphasis*, **strong**, > quotes, lists, links. Mention people with @handle."),
    )
    shown_circles = forms.TypedMultipleChoiceField(
        label=_("Show these circles of mine beside my name"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional. Nothing is shown unless you tick it."),
    )
    paragraph = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args: Any, author: Any = None, prefix_id: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{prefix_id}_%s" if prefix_id else "id_%s")
        super().__init__(*args, **kwargs)
        self.circles = {c.pk: c for c in author_circles(author)}  # one query; never preselected
        field = self.fields["shown_circles"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(pk, c.name) for pk, c in self.circles.items()]
        field.initial = []

    def chosen_circles(self) -> list[Circle]:
        return [self.circles[pk] for pk in self.cleaned_data.get("shown_circles") or [] if pk in self.circles]


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8})
    )
