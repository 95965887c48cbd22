"""Forms for campaign pages: they only parse input; services decide and refuse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from freshground.campaigns.models import ActionStatus, CampaignStatus, GoalUnit, KitKind, Scope
from freshground.core.models import Tag
from freshground.events.models import Event
from freshground.network.models import Center, Circle


def party_key(party: Circle | Center) -> str:
    return f"{'circle' if isinstance(party, Circle) else 'center'}:{party.pk}"


def party_choices(parties: list[Circle | Center]) -> list[tuple[str, str]]:
    return [
        (party_key(p), str(_("%(name)s (circle)") if isinstance(p, Circle) else _("%(name)s (center)")) % {"name": p})
        for p in parties
    ]


def party_from_key(parties: list[Circle | Center], key: str) -> Circle | Center | None:
    for party in parties:
        if party_key(party) == key:
            return party
    return None


def lines(value: str) -> list[str]:
    return [line.strip(" -*\t") for line in (value or "").splitlines() if line.strip(" -*\t")]


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(
        label=_("What is the campaign about?"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    topic = forms.ModelChoiceField(
        label=_("Issue"),
        queryset=Tag.objects.filter(is_topic=True).order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label=_("— choose a topic —"),
    )
    tags = forms.CharField(label=_("More tags (comma-separated)"), required=False, max_length=600)
    demands = forms.CharField(
        label=_("Demands (one a line)"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=6000
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.LOCAL)
    place_name = forms.CharField(label=_("Place"), max_length=160, required=False)
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["tags"] = [t.strip() for t in (data.get("tags") or "").split(",") if t.strip()]
        data["demands"] = lines(data.get("demands") or "")
        return data


class CreateCampaignForm(CampaignForm):
    sponsor = forms.ChoiceField(label=_("Started by"), help_text=_("A circle you organise or a center you edit."))
    draft = forms.BooleanField(label=_("Save as a draft (only the sponsors see it)"), required=False)
    goal_label = forms.CharField(label=_("A first goal (optional)"), max_length=200, required=False)
    goal_unit = forms.ChoiceField(label=_("Measured in"), choices=GoalUnit.choices, initial=GoalUnit.SIGNATURES)
    goal_target = forms.IntegerField(label=_("Target"), required=False, min_value=1)

    def __init__(self, *args: Any, parties: list[Circle | Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parties = parties
        self.fields["sponsor"].choices = party_choices(parties)  # type: ignore[attr-defined]

    def chosen_party(self) -> Circle | Center | None:
        return party_from_key(self.parties, self.cleaned_data.get("sponsor", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("goal_label") and not data.get("goal_target"):
            self.add_error("goal_target", _("Give the goal a target."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CampaignStatus.choices)


class SponsorRequestForm(forms.Form):
    party = forms.ChoiceField(label=_("In the name of"))
    message = forms.CharField(
        label=_("Message to the organisers"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args: Any, parties: list[Circle | Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parties = parties
        self.fields["party"].choices = party_choices(parties)  # type: ignore[attr-defined]

    def chosen_party(self) -> Circle | Center | None:
        return party_from_key(self.parties, self.cleaned_data.get("party", ""))


class GoalForm(forms.Form):
    label = forms.CharField(label=_("Goal"), max_length=200)
    unit = forms.ChoiceField(label=_("Measured in"), choices=GoalUnit.choices)
    target = forms.IntegerField(label=_("Target"), min_value=1)
    current = forms.IntegerField(label=_("So far"), min_value=0, initial=0, required=False)


class GoalProgressForm(forms.Form):
    current = forms.IntegerField(label=_("So far"), min_value=0)


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=160)
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place_name = forms.CharField(label=_("Place"), max_length=160, required=False)
    description = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    people_needed = forms.IntegerField(label=_("People needed"), min_value=0, initial=0, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.PLANNED)
    event = forms.CharField(label=_("Calendar event (its short name in links)"), required=False, max_length=120)

    def clean_event(self) -> Event | None:
        """The calendar event named by its short name (None when the field is empty)."""
        slug = self.cleaned_data.get("event") or ""
        if not slug:
            return None
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise forms.ValidationError(_("No event has that short name."))
        return event

    def values(self) -> dict[str, Any]:
        """The action as the services take it (blank fields as their defaults)."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": data["starts_at"],
            "place_name": data.get("place_name") or "",
            "description": data.get("description") or "",
            "people_needed": data.get("people_needed") or 0,
            "status": data["status"],
            "event": data.get("event"),
        }


class ActionEditForm(ActionForm):
    """An action's page of its own: everything the plan's form has, and who owns it."""

    owner = forms.ChoiceField(label=_("Owner"), required=False)

    field_order = ["title", "starts_at", "place_name", "owner", "people_needed", "status", "event", "description"]

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", _("— nobody —")),
            *((str(p.pk), p.display_name or str(p)) for p in people),
        ]

    def chosen_owner(self) -> Any:
        return self.people.get(self.cleaned_data.get("owner") or "")

    def values(self) -> dict[str, Any]:
        return {**super().values(), "owner": self.chosen_owner()}


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    assignees = forms.MultipleChoiceField(label=_("Assignees"), required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=3000)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        self.fields["assignees"].choices = [(str(p.pk), p.display_name or str(p)) for p in people]  # type: ignore[attr-defined]

    def chosen_people(self) -> list[Any]:
        return [self.people[k] for k in self.cleaned_data.get("assignees", []) if k in self.people]


class ReportForm(forms.Form):
    sponsor = forms.ChoiceField(label=_("Reporting for"))
    body = forms.CharField(label=_("What we did"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)

    def __init__(self, *args: Any, sponsors: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sponsors = {str(s.pk): s for s in sponsors}
        self.fields["sponsor"].choices = [(str(s.pk), s.name) for s in sponsors]  # type: ignore[attr-defined]

    def chosen_sponsor(self) -> Any:
        return self.sponsors.get(self.cleaned_data.get("sponsor", ""))


class PetitionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    target = forms.CharField(label=_("Addressed to"), max_length=200)
    text = forms.CharField(label=_("Petition text"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)
    signature_goal = forms.IntegerField(label=_("Signature goal"), min_value=0, initial=0, required=False)
    show_signers = forms.BooleanField(label=_("Show a public list of signers who agree"), required=False, initial=True)


class SignForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Your e-mail"), max_length=254, help_text=_("To confirm your signature. Never shown to anyone.")
    )
    place_name = forms.CharField(label=_("Where you live"), max_length=160, required=False)
    show_name = forms.BooleanField(label=_("Show my name and place on the public list"), required=False)


class KitItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=KitKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text (Markdown)"), widget=forms.Textarea(attrs={"rows": 10}), required=False, max_length=50000
    )
    attachment = forms.FileField(label=_("File (optional, at most 10 MB)"), required=False)


class KitCopyForm(forms.Form):
    circle = forms.ChoiceField(label=_("Into circle"))

    def __init__(self, *args: Any, circles: list[Circle], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.circles = {str(c.pk): c for c in circles}
        self.fields["circle"].choices = [(str(c.pk), c.name) for c in circles]  # type: ignore[attr-defined]

    def chosen_circle(self) -> Circle | None:
        return self.circles.get(self.cleaned_data.get("circle", ""))


class KitEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text (Markdown)"), widget=forms.Textarea(attrs={"rows": 14}), required=False, max_length=50000
    )
