"""Forms for the event pages. They parse input into service arguments; services decide and write."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from freshground.events.models import AttendanceMode, Event, EventKind, RegistrationMode
from freshground.events.services_registrations import DEFAULT_ANSWER_LENGTH, questions_of
from freshground.network.forms import NamedGroupForm

REPEAT_CHOICES = [("none", _("Does not repeat")), ("weekly", _("Every week")), ("monthly", _("Every month"))]
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
ACCESS_FIELDS = ("step_free", "hearing_loop", "childcare", "quiet_room", "accessibility_notes")
REGISTRATION_FIELDS = ("registration_mode", "capacity", "questions", "reminder_hours")
REQUIRED_MARK = "*"
MAX_QUESTIONS = 20  # as services.MAX_QUESTIONS: said here so the form can tell which line is too many
MAX_QUESTION_LENGTH = 300
MAX_REMINDERS = 5
MAX_REMINDER_HOURS = 24 * 14
# In the form's initial data (not a field): the edited event's question keys by label, so that a question kept on
# edit keeps its key and the answers already given to it.
QUESTION_KEYS = "question_keys"


def _zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name or name == "UTC"]


class EventForm(forms.Form):
    host = forms.ChoiceField(label=_("Host"), required=False, help_text=_("Who puts the event on."))
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("You can use Markdown."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME_WIDGET)
    time_zone = forms.ChoiceField(label=_("Time zone"), help_text=_("Where the event happens."))
    all_day = forms.BooleanField(label=_("All day"), required=False)
    repeat = forms.ChoiceField(label=_("Repeats"), choices=REPEAT_CHOICES, initial="none", required=False)
    repeat_until = forms.DateField(
        label=_("Repeat until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    repeat_count = forms.IntegerField(label=_("Or: how many times"), required=False, min_value=1, max_value=500)
    rrule = forms.CharField(
        label=_("Advanced repeat rule"),
        required=False,
        max_length=500,
        help_text=_("An iCalendar RRULE such as FREQ=WEEKLY;BYDAY=TU,TH;COUNT=12. It replaces the choice above."),
    )
    exdates = forms.CharField(
        label=_("Skip these dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One date per line, like 2026-12-24."),
    )
    attendance_mode = forms.ChoiceField(
        label=_("How people attend"), choices=AttendanceMode.choices, widget=forms.RadioSelect
    )
    venue_name = forms.CharField(label=_("Venue"), required=False, max_length=160)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    address_for_registered_only = forms.BooleanField(
        label=_("Show the exact address only to registered people"), required=False
    )
    place_name = forms.CharField(label=_("Town or city"), required=False, max_length=160)
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    online_url = forms.URLField(label=_("Online link"), required=False, max_length=500, assume_scheme="https")
    online_url_for_registered_only = forms.BooleanField(
        label=_("Show the online link only to registered people"), required=False, initial=True
    )
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)
    hearing_loop = forms.BooleanField(label=_("Hearing loop"), required=False)
    childcare = forms.BooleanField(label=_("Childcare"), required=False)
    quiet_room = forms.BooleanField(label=_("Quiet room"), required=False)
    accessibility_notes = forms.CharField(
        label=_("More about access"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    topics = forms.CharField(label=_("Topics"), required=False, help_text=_("Separate them with commas."))
    language = forms.CharField(label=_("Language"), max_length=12, initial="en", help_text=_("A code: en, es, pt-br…"))
    speakers_text = forms.CharField(label=_("Speakers"), required=False, max_length=300)
    registration_mode = forms.ChoiceField(
        label=_("Registration"), choices=RegistrationMode.choices, initial=RegistrationMode.OPEN
    )
    capacity = forms.IntegerField(label=_("Places"), required=False, min_value=1)
    questions = forms.CharField(
        label=_("Questions for people who register"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One question a line. End a line with * to make the answer required, as in: Dietary needs *"),
    )
    reminder_hours = forms.CharField(
        label=_("Reminders (hours before)"),
        required=False,
        max_length=100,
        initial="24, 1",
        help_text=_(
            "Registered people get an e-mail this many hours before the start; separate several with commas, "
            "as in 24, 1. Left empty: a day and an hour before."
        ),
    )

    def __init__(self, *args: Any, host_choices: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = _zone_choices()  # type: ignore[attr-defined]
        if host_choices:
            self.fields["host"].choices = host_choices  # type: ignore[attr-defined]
        else:
            del self.fields["host"]

    def access_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ACCESS_FIELDS]

    def registration_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in REGISTRATION_FIELDS]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in ACCESS_FIELDS and name not in REGISTRATION_FIELDS]

    def clean_questions(self) -> list[dict[str, Any]]:
        """Lines into the question dicts services_registrations reads: key, label, required (and, for a question
        the event had already, its key and any other settings it had, so answers given to it stay with it)."""
        known: dict[str, dict[str, Any]] = dict(self.initial.get(QUESTION_KEYS) or {})
        taken = {str(item["key"]) for item in known.values()}
        questions: list[dict[str, Any]] = []
        used: set[str] = set()
        for line in str(self.cleaned_data.get("questions") or "").splitlines():
            label = line.strip()
            required = label.endswith(REQUIRED_MARK)
            label = label.rstrip(REQUIRED_MARK).strip()
            if not label:
                continue
            if len(label) > MAX_QUESTION_LENGTH:
                raise forms.ValidationError(_("A question has at most %(n)d characters.") % {"n": MAX_QUESTION_LENGTH})
            if len(questions) == MAX_QUESTIONS:
                raise forms.ValidationError(_("At most %(n)d questions.") % {"n": MAX_QUESTIONS})
            before = known.get(label)
            if before is not None and before["key"] not in used:
                question = {**before, "label": label, "required": required}
            else:
                key = _new_key(label, len(questions) + 1, taken | used)
                question = {"key": key, "label": label, "required": required}
            used.add(str(question["key"]))
            questions.append(question)
        return questions

    def clean_reminder_hours(self) -> list[int]:
        hours: list[int] = []
        for part in str(self.cleaned_data.get("reminder_hours") or "").replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or not 1 <= int(part) <= MAX_REMINDER_HOURS:
                raise forms.ValidationError(
                    _("Give whole numbers of hours from 1 to %(n)d, separated by commas.") % {"n": MAX_REMINDER_HOURS}
                )
            if int(part) not in hours:
                hours.append(int(part))
        if len(hours) > MAX_REMINDERS:
            raise forms.ValidationError(_("At most %(n)d reminders.") % {"n": MAX_REMINDERS})
        return sorted(hours, reverse=True)

    def rule(self) -> str:
        data = self.cleaned_data
        if data.get("rrule"):
            return str(data["rrule"]).strip()
        repeat = data.get("repeat") or "none"
        if repeat == "none":
            return ""
        rule = "FREQ=WEEKLY" if repeat == "weekly" else "FREQ=MONTHLY"
        if data.get("repeat_count"):
            rule += f";COUNT={data['repeat_count']}"
        elif data.get("repeat_until"):
            rule += f";UNTIL={data['repeat_until']:%Y%m%d}"
        return rule

    def skipped(self) -> list[str]:
        lines = [line.strip() for line in (self.cleaned_data.get("exdates") or "").splitlines()]
        return [line for line in lines if line]

    def service_values(self) -> dict[str, Any]:
        """The keyword arguments for create_event/update_event. Times are naive, read in the chosen zone."""
        data = dict(self.cleaned_data)
        for key in ("starts_at", "ends_at"):
            value = data.get(key)
            if isinstance(value, datetime):
                data[key] = value.replace(tzinfo=None)
        for key in ("host", "repeat", "repeat_until", "repeat_count"):
            data.pop(key, None)
        data["rrule"] = self.rule()
        data["exdates"] = self.skipped()
        data["topics"] = [t.strip() for t in (data.get("topics") or "").split(",") if t.strip()]
        for key in ("venue_name", "address", "place_name", "online_url", "speakers_text", "accessibility_notes"):
            data[key] = data.get(key) or ""
        return data

    @classmethod
    def initial_for(cls, event: Event) -> dict[str, Any]:
        zone = zoneinfo.ZoneInfo(event.time_zone)
        initial = {name: getattr(event, name) for name in cls.base_fields if hasattr(event, name)}
        initial["starts_at"] = event.starts_at.astimezone(zone).replace(tzinfo=None)
        initial["ends_at"] = event.ends_at.astimezone(zone).replace(tzinfo=None)
        initial["topics"] = ", ".join(tag.name for tag in event.topics.all())
        initial["repeat"] = "none"
        initial["questions"], initial[QUESTION_KEYS] = questions_text(event)
        initial["reminder_hours"] = ", ".join(str(hours) for hours in event.reminder_hours or [])
        initial["exdates"] = "\n".join(
            datetime.fromisoformat(value).astimezone(zone).date().isoformat() for value in event.exdates or []
        )
        return initial


def _new_key(label: str, number: int, taken: set[str]) -> str:
    """A key for a new question: from its label when it has letters a key can use (q<n> otherwise), never one the
    event used before."""
    base = slugify(label).replace("-", "_")[:40].strip("_") or f"q{number}"
    key, suffix = base, 2
    while key in taken:
        key, suffix = f"{base}_{suffix}", suffix + 1
    return key


def questions_text(event: Event) -> tuple[str, dict[str, dict[str, Any]]]:
    """The event's questions as the form's lines ("*" after a required one), and each one's stored settings by label
    (bare-string questions get the key services_registrations gives them)."""
    lines: list[str] = []
    by_label: dict[str, dict[str, Any]] = {}
    for question in questions_of(event):
        lines.append(f"{question.label} {REQUIRED_MARK}" if question.required else question.label)
        stored: dict[str, Any] = {"key": question.key, "label": question.label, "required": question.required}
        if question.max_length != DEFAULT_ANSWER_LENGTH:
            stored["max_length"] = question.max_length
        if question.choices:
            stored["choices"] = list(question.choices)
        by_label.setdefault(question.label, stored)
    return "\n".join(lines), by_label


class TimeslotForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(label=_("Label"), required=False, max_length=120)
    starts_at = forms.DateTimeField(label=_("Starts"), required=False, widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Ends"), required=False, widget=DATETIME_WIDGET)
    capacity = forms.IntegerField(label=_("Places"), required=False, min_value=1)


TimeslotFormSet = formset_factory(TimeslotForm, extra=2, max_num=50, can_delete=True)


def timeslot_rows(formset: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("DELETE") or not data.get("starts_at"):
            continue
        rows.append(
            {
                "id": data.get("id"),
                "label": data.get("label") or "",
                "starts_at": data["starts_at"].replace(tzinfo=None),
                "ends_at": (data.get("ends_at") or data["starts_at"]).replace(tzinfo=None),
                "capacity": data.get("capacity"),
            }
        )
    return rows


def timeslot_initial(event: Event) -> list[dict[str, Any]]:
    zone = zoneinfo.ZoneInfo(event.time_zone)
    return [
        {
            "id": slot.pk,
            "label": slot.label,
            "starts_at": slot.starts_at.astimezone(zone).replace(tzinfo=None),
            "ends_at": slot.ends_at.astimezone(zone).replace(tzinfo=None),
            "capacity": slot.capacity,
        }
        for slot in event.timeslots.all()
    ]


class CloseForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What was said and decided. You can use Markdown."),
    )
    attendance_count = forms.IntegerField(label=_("How many came"), required=False, min_value=0)
    outcomes = forms.CharField(
        label=_("Outcomes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class GroupForm(forms.Form):
    """A circle or center chosen by the viewer: value "circle:<slug>" or "center:<slug>"."""

    group = forms.ChoiceField(label=_("In the name of"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = choices  # type: ignore[attr-defined]


class CohostInviteForm(NamedGroupForm):
    """Invite a circle or a center to co-host."""
