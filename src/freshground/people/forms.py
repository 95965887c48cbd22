"""Forms for a person's own settings. They only parse input: every rule lives in people.services."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshground.core.exceptions import DomainError
from freshground.people.models import PROFILE_VISIBILITY_FIELDS, Person, Visibility

VISIBILITY_LABELS: dict[str, Any] = {
    "bio": _("Who sees “about me”"),
    "place": _("Who sees your place"),
    "languages": _("Who sees your languages"),
    "skills": _("Who sees your skills"),
    "interests": _("Who sees your interests"),
}


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")
    return [(zone, zone.replace("_", " ")) for zone in zones]


def split_list(value: str) -> list[str]:
    """ "en, pt-br ,," → ["en", "pt-br"]: the service cleans and checks each item."""
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    field = error.field
    if field == "place":
        field = "place_name"
    if field and field.startswith("visibility"):
        field = None
    form.add_error(field if field in form.fields else None, error.message)


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("Shown next to everything you do. A pseudonym is fine; we never ask for a real name."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    handle = forms.CharField(
        label=_("Handle"),
        max_length=41,
        required=False,  # left empty: keep the one you have
        help_text=_("People mention you as @handle. Lower-case letters, digits and hyphens."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    bio = forms.CharField(
        label=_("About me"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text, up to 2000 characters."),
    )
    place_name = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=160,
        help_text=_("City, region or country, as you would say it. As vague as you like."),
    )
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_("Optional, for “near me” searches. Give both latitude and longitude, or neither."),
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=300,
        help_text=_("Language codes separated by commas, for example: en, es, pt-br."),
    )
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=2000,
        help_text=_("Separated by commas, for example: translation, first aid, web design."),
    )
    interests = forms.CharField(
        label=_("Interests"),
        required=False,
        max_length=2000,
        help_text=_("Separated by commas, for example: housing, labour history, climate."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Times on the site are shown in this zone."),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        kwargs.setdefault("initial", self.initial_for(person))
        super().__init__(*args, **kwargs)
        self.person = person
        zone_field = self.fields["time_zone"]
        assert isinstance(zone_field, forms.ChoiceField)
        choices = time_zone_choices()
        if person.time_zone not in {value for value, _label in choices}:
            choices = [(person.time_zone, person.time_zone), *choices]
        zone_field.choices = choices
        for name in PROFILE_VISIBILITY_FIELDS:
            self.fields[f"visibility_{name}"] = forms.ChoiceField(
                label=VISIBILITY_LABELS[name],
                choices=Visibility.choices,
                widget=forms.RadioSelect,
            )

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "display_name": person.display_name,
            "handle": person.handle,
            "bio": person.bio,
            "place_name": person.place_name,
            "latitude": person.latitude,
            "longitude": person.longitude,
            "languages": ", ".join(person.languages),
            "skills": ", ".join(tag.name for tag in person.skills.all()),
            "interests": ", ".join(tag.name for tag in person.interests.all()),
            "time_zone": person.time_zone,
        }
        for name in PROFILE_VISIBILITY_FIELDS:
            initial[f"visibility_{name}"] = person.visibility_of(name)
        return initial

    def visibility_fields(self) -> list[forms.BoundField]:
        return [self[f"visibility_{name}"] for name in PROFILE_VISIBILITY_FIELDS]

    def service_values(self) -> dict[str, Any]:
        """The cleaned data in the shape people.services.update_profile takes."""
        data = self.cleaned_data
        return {
            "display_name": data["display_name"],
            **({"handle": data["handle"]} if data.get("handle") else {}),
            "bio": data["bio"],
            "place_name": data["place_name"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "languages": split_list(data["languages"]),
            "skills": split_list(data["skills"]),
            "interests": split_list(data["interests"]),
            "time_zone": data["time_zone"],
            "visibility": {name: data[f"visibility_{name}"] for name in PROFILE_VISIBILITY_FIELDS},
        }


class TokenForm(forms.Form):
    EXPIRY_CHOICES = (
        ("30", _("In 30 days")),
        ("90", _("In 90 days")),
        ("365", _("In a year")),
        ("never", _("Never")),
    )

    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What will use it, for example “my phone” or “circle newsletter script”."),
    )
    expires = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, initial="90")

    def expires_at(self) -> datetime | None:
        value = self.cleaned_data["expires"]
        if value == "never":
            return None
        return timezone.now() + timedelta(days=int(value))


class DeleteAccountForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("Type the e-mail address you log in with, to show you mean this account."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip()
        if email.casefold() != self.person.email.casefold():
            raise forms.ValidationError(_("That is not this account’s e-mail address."), code="email_mismatch")
        return email

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.person.check_password(password):
            raise forms.ValidationError(_("That is not your current password."), code="password_mismatch")
        return password
