"""Forms for the speaker pages. They parse and check input; services decide and write."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from freshground.network.models import Center, Circle
from freshground.speakers.models import Speaker, Talk
from freshground.speakers.queries import RosterFilters

DATE_PAIR = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:to|–|—|-|\s)\s*(\d{4}-\d{2}-\d{2})\s*$")


def split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\n]", value or "") if part.strip()]


class DateInput(forms.DateInput):
    input_type = "date"


class RosterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=120, widget=forms.SearchInput)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=80)
    language = forms.CharField(label=_("Language code"), required=False, max_length=12, help_text=_("e.g. en, de"))
    region = forms.CharField(label=_("Region or city"), required=False, max_length=80)

    def filters(self) -> RosterFilters:
        self.is_valid()
        data = self.cleaned_data
        return RosterFilters(
            text=(data.get("q") or "").strip(),
            topic=(data.get("topic") or "").strip(),
            language=(data.get("language") or "").strip(),
            region=(data.get("region") or "").strip(),
        )


class SpeakerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    bio = forms.CharField(label=_("About"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    topics = forms.CharField(
        label=_("Topics"), required=False, max_length=2000, help_text=_("Separated by commas, e.g. housing, unions.")
    )
    talks = forms.CharField(
        label=_("Talks"),
        required=False,
        max_length=60000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One talk per paragraph: the title on the first line, the abstract below. A blank line between."),
    )
    languages = forms.CharField(
        label=_("Languages"), required=False, max_length=200, help_text=_("Language codes separated by commas: en, es.")
    )
    place_name = forms.CharField(
        label=_("Home city"),
        required=False,
        max_length=160,
        help_text=_("A city, never an address: the roster shows it to everyone."),
    )
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_("Of the city centre: needed to plan tours."),
    )
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    regions = forms.CharField(
        label=_("Regions you travel to"), required=False, max_length=2000, help_text=_("Separated by commas.")
    )
    availability = forms.CharField(
        label=_("Availability"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One window a line, as 2027-03-01 to 2027-03-20: the days you can be away to give talks."),
    )
    fees = forms.CharField(
        label=_("Fee and expenses"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail"),
        required=False,
        help_text=_("For a speaker without an account: where invitations go. Seen by organisers and editors only."),
    )

    def __init__(self, *args: Any, for_self: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if for_self:
            del self.fields["contact_email"]

    def clean_talks(self) -> list[dict[str, str]]:
        talks = []
        for block in re.split(r"\n\s*\n", (self.cleaned_data.get("talks") or "").replace("\r\n", "\n").strip()):
            lines = block.strip().split("\n")
            if lines and lines[0].strip():
                talks.append({"title": lines[0].strip()[:160], "abstract": "\n".join(lines[1:]).strip()})
        return talks

    def clean_availability(self) -> list[tuple[date, date]]:
        windows = []
        for number, line in enumerate((self.cleaned_data.get("availability") or "").splitlines(), start=1):
            if not line.strip():
                continue
            match = DATE_PAIR.match(line)
            try:
                if match is None:
                    raise ValueError
                start, end = date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
            except ValueError as error:
                raise forms.ValidationError(
                    _("Line %(n)d: write two dates as 2027-03-01 to 2027-03-20.") % {"n": number}
                ) from error
            if end < start:
                raise forms.ValidationError(_("Line %(n)d: the window ends before it starts.") % {"n": number})
            windows.append((start, end))
        return windows

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if ("latitude" in cleaned and "longitude" in cleaned) and (
            (cleaned["latitude"] is None) != (cleaned["longitude"] is None)
        ):
            self.add_error("latitude", _("Give both latitude and longitude, or neither."))
        return cleaned

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for key in ("topics", "languages", "regions"):
            data[key] = split_list(data.get(key) or "")
        return data

    @staticmethod
    def initial_for(speaker: Speaker) -> dict[str, Any]:
        return {
            "name": speaker.name,
            "bio": speaker.bio,
            "topics": ", ".join(tag.name for tag in speaker.topics.all()),
            "talks": "\n\n".join(f"{t.title}\n{t.abstract}".strip() for t in speaker.talks.all()),
            "languages": ", ".join(speaker.languages),
            "place_name": speaker.place_name,
            "latitude": speaker.latitude,
            "longitude": speaker.longitude,
            "regions": ", ".join(speaker.regions),
            "availability": "\n".join(f"{w.starts_on} to {w.ends_on}" for w in speaker.availability.all()),
            "fees": speaker.fees,
            "accessibility_needs": speaker.accessibility_needs,
            "contact_email": speaker.contact_email,
        }


class EndorseForm(forms.Form):
    endorser = forms.ChoiceField(label=_("In the name of"))
    topic = forms.CharField(label=_("Topic"), max_length=60)

    def __init__(self, *args: Any, groups: list[Circle | Center], topics: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = {self.key(group): group for group in groups}
        field = self.fields["endorser"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, str(group)) for key, group in self.groups.items()]
        if topics:
            self.fields["topic"].widget = forms.Select(choices=[(t, t) for t in topics])

    @staticmethod
    def key(group: Circle | Center) -> str:
        return f"{'circle' if isinstance(group, Circle) else 'center'}-{group.pk}"

    def chosen(self) -> dict[str, Any]:
        group = self.groups[self.cleaned_data["endorser"]]
        return {"circle": group} if isinstance(group, Circle) else {"center": group}


class RequestForm(forms.Form):
    circle = forms.ModelChoiceField(label=_("From the circle"), queryset=Circle.objects.none(), empty_label=None)
    talk = forms.ModelChoiceField(
        label=_("One of the speaker's talks"),
        queryset=Talk.objects.none(),
        required=False,
        empty_label=_("No particular talk"),
    )
    topic = forms.CharField(label=_("Or a topic"), required=False, max_length=60)
    place_name = forms.CharField(
        label=_("City"), required=False, max_length=160, help_text=_("Left empty: the circle's place.")
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    earliest = forms.DateField(label=_("Earliest date"), widget=DateInput)
    latest = forms.DateField(label=_("Latest date"), widget=DateInput)
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, initial="UTC")
    expected_audience = forms.IntegerField(
        label=_("Expected audience"), required=False, min_value=0, max_value=1_000_000
    )
    offer = forms.CharField(
        label=_("What the circle can offer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Travel costs, a bed, a fee, childcare…"),
    )
    message = forms.CharField(
        label=_("Message"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, circles: list[Circle], speaker: Speaker, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        circle_field = self.fields["circle"]
        talk_field = self.fields["talk"]
        assert isinstance(circle_field, forms.ModelChoiceField)
        assert isinstance(talk_field, forms.ModelChoiceField)
        circle_field.queryset = Circle.objects.filter(pk__in=[c.pk for c in circles]).order_by("name")
        talk_field.queryset = speaker.talks.all()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("talk") and not (cleaned.get("topic") or "").strip() and "topic" not in self.errors:
            self.add_error("topic", _("Choose one of the speaker's talks or name a topic."))
        earliest, latest = cleaned.get("earliest"), cleaned.get("latest")
        if earliest and latest and latest < earliest:
            self.add_error("latest", _("The latest date is before the earliest."))
        if ("latitude" in cleaned and "longitude" in cleaned) and (
            (cleaned["latitude"] is None) != (cleaned["longitude"] is None)
        ):
            self.add_error("latitude", _("Give both latitude and longitude, or neither."))
        return cleaned


class AnswerForm(forms.Form):
    ACTIONS = (("accept", _("Accept")), ("decline", _("Decline")), ("propose", _("Propose another date")))

    action = forms.ChoiceField(label=_("Answer"), choices=ACTIONS, widget=forms.RadioSelect)
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=DateInput,
        help_text=_("To accept: a date in the circle's window (empty: the first possible). To propose: your date."),
    )
    note = forms.CharField(
        label=_("Note to the circle"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") == "propose" and not cleaned.get("date"):
            self.add_error("date", _("Give the date you propose."))
        return cleaned


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was the talk?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
