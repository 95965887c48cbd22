"""The calendar's filter form: every field optional; invalid values are dropped (with a message), never guessed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from freshground.events.calendar import ACCESS_FEATURES, CalendarFilters
from freshground.events.models import AttendanceMode, EventKind
from freshground.network.queries import Near

ACCESS_CHOICES = [
    ("step_free", _("Step-free access")),
    ("hearing_loop", _("Hearing loop")),
    ("childcare", _("Childcare")),
    ("quiet_room", _("Quiet room")),
]
assert tuple(value for value, _label in ACCESS_CHOICES) == ACCESS_FEATURES

MODE_CHOICES = [
    ("", _("In person or online")),
    (AttendanceMode.IN_PERSON.value, _("Can attend in person")),
    (AttendanceMode.ONLINE.value, _("Can attend online")),
    (AttendanceMode.HYBRID.value, _("Hybrid only")),
]


class CalendarFilterForm(forms.Form):
    place = forms.CharField(label=_("City or place"), required=False, max_length=160)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    km = forms.FloatField(label=_("Within (km)"), required=False, min_value=1, max_value=1000)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *EventKind.choices])
    topic = forms.SlugField(label=_("Topic"), allow_unicode=True, max_length=90, required=False)
    language = forms.CharField(label=_("Language code"), required=False, max_length=12)
    circle = forms.SlugField(label=_("Circle (short name)"), max_length=90, required=False)
    center = forms.SlugField(label=_("Center (short name)"), max_length=90, required=False)
    mode = forms.ChoiceField(label=_("How people attend"), required=False, choices=MODE_CHOICES)
    access = forms.MultipleChoiceField(
        label=_("Access"), required=False, choices=ACCESS_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    mine = forms.BooleanField(label=_("Only my circles and follows"), required=False)
    hide_cancelled = forms.BooleanField(label=_("Hide cancelled events"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("lat") is None) != (cleaned.get("lon") is None) and not self.has_error("lat"):
            self.add_error("lon", _("Give both latitude and longitude to search near a place."))
        return cleaned

    def filters(self) -> CalendarFilters:
        self.is_valid()
        data = self.cleaned_data
        near = None
        lat, lon = data.get("lat"), data.get("lon")
        if lat is not None and lon is not None and not self.has_error("lon"):
            near = Near(latitude=lat, longitude=lon, km=data.get("km") or 25.0)
        return CalendarFilters(
            place=(data.get("place") or "").strip(),
            near=near,
            kind=data.get("kind") or "",
            topic=data.get("topic") or "",
            language=(data.get("language") or "").strip(),
            circle=data.get("circle") or "",
            center=data.get("center") or "",
            mode=data.get("mode") or "",
            access=tuple(data.get("access") or ()),
            mine=bool(data.get("mine")),
            hide_cancelled=bool(data.get("hide_cancelled")),
        )
