"""Forms for registering (signed in or as a guest), checking in at the door and leaving feedback."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from freshground.events.models import Event, Timeslot
from freshground.events.services_registrations import MAX_FEEDBACK_COMMENT, MAX_GUEST_NAME, questions_of

LONG_ANSWER = 200


class RegistrationForm(forms.Form):
    """Name and e-mail for guests, the session when there are several, then the event's own questions."""

    def __init__(self, *args: Any, event: Event, guest: bool, timeslots: list[Timeslot], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"reg-{event.pk}-%s")
        super().__init__(*args, **kwargs)
        self.event = event
        self.guest = guest
        self.timeslots = {str(slot.pk): slot for slot in timeslots}
        if guest:
            self.fields["name"] = forms.CharField(
                label=_("Your name"), max_length=MAX_GUEST_NAME, help_text=_("Only the hosts see it.")
            )
            self.fields["email"] = forms.EmailField(
                label=_("Your e-mail address"),
                max_length=254,
                help_text=_("We send you a link to confirm. Only the hosts see your address."),
            )
        if timeslots:
            self.fields["timeslot"] = forms.ChoiceField(
                label=_("Session"),
                choices=[(str(slot.pk), str(slot)) for slot in timeslots],
                widget=forms.RadioSelect,
            )
        for question in questions_of(event):
            name = f"answer_{question.key}"
            if question.choices:
                self.fields[name] = forms.ChoiceField(
                    label=question.label,
                    required=question.required,
                    choices=[("", "—"), *((choice, choice) for choice in question.choices)],
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.label,
                    required=question.required,
                    max_length=question.max_length,
                    widget=forms.Textarea(attrs={"rows": 3}) if question.max_length > LONG_ANSWER else None,
                )

    def chosen_timeslot(self) -> Timeslot | None:
        return self.timeslots.get(str(self.cleaned_data.get("timeslot") or ""))

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("answer_"): str(value or "")
            for name, value in self.cleaned_data.items()
            if name.startswith("answer_")
        }


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Registration code"),
        max_length=40,
        help_text=_("Type the code, or scan the QR code with a scanner that types it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}),
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was it?"),
        coerce=int,
        choices=[
            (5, _("5 — very good")),
            (4, _("4 — good")),
            (3, _("3 — all right")),
            (2, _("2 — not good")),
            (1, _("1 — bad")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to tell the hosts?"),
        required=False,
        max_length=MAX_FEEDBACK_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
