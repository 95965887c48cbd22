"""The notification settings form: one choice of channel per kind."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from freshground.notifications.models import Channel
from freshground.notifications.send import Kind


class ChannelsForm(forms.Form):
    def __init__(self, *args: Any, initial_channels: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                widget=forms.RadioSelect,
                initial=(initial_channels or {}).get(kind.value),
            )

    def channels(self) -> dict[str, str]:
        return {kind.value: str(self.cleaned_data[kind.value]) for kind in Kind}


class TopicForm(forms.Form):
    topic = forms.CharField(label=_("Follow a topic"), max_length=80)
