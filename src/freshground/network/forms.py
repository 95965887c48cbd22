"""Forms for the network pages. They parse and check input; services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from freshground.network.models import (
    Center,
    Circle,
    CircleKind,
    JoinPolicy,
    MemberListVisibility,
    TieWant,
)
from freshground.network.queries import CIRCLE_SORTS, CircleFilters, Near, center_by_slug, circle_by_slug


class CircleFilterForm(forms.Form):
    """The circle directory's search: every field optional, bad values ignored with a message."""

    q = forms.CharField(label=_("Search"), required=False, max_length=120, widget=forms.SearchInput)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *CircleKind.choices])
    place = forms.CharField(label=_("Place"), required=False, max_length=160)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    km = forms.FloatField(label=_("Within (km)"), required=False, min_value=1, max_value=1000)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("", _("Best match")), ("name", _("Name")), ("members", _("Most members")), ("newest", _("Newest"))],
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("lat") is None) != (cleaned.get("lon") is None):
            self.add_error("lon", _("Give both latitude and longitude to search near a place."))
        return cleaned

    def filters(self) -> CircleFilters:
        """The valid part of the search (invalid fields are dropped, not guessed)."""
        self.is_valid()  # fields with errors are left out of cleaned_data
        data = self.cleaned_data
        near = None
        lat, lon = data.get("lat"), data.get("lon")
        if lat is not None and lon is not None:
            near = Near(latitude=lat, longitude=lon, km=data.get("km") or 25.0)
        sort = data.get("sort") or ""
        return CircleFilters(
            text=(data.get("q") or "").strip(),
            kind=data.get("kind") or "",
            place=(data.get("place") or "").strip(),
            near=near,
            sort=sort if sort in CIRCLE_SORTS else "",
        )


class CenterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=120, widget=forms.SearchInput)
    tendency = forms.ChoiceField(label=_("Tendency"), required=False)

    def __init__(self, *args: Any, tendencies: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tendency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Any tendency")), *((t, t) for t in tendencies)]

    def values(self) -> tuple[str, str]:
        self.is_valid()
        data = self.cleaned_data
        return str(data.get("q") or "").strip(), str(data.get("tendency") or "")


class CircleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the circle is and does. You can use Markdown."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CircleKind.choices, initial=CircleKind.CITY)
    place_name = forms.CharField(
        label=_("Place"), required=False, max_length=160, help_text=_("City, region or country, as you would say it.")
    )
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_("Optional: lets people find the circle when they search near a place."),
    )
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    join_policy = forms.ChoiceField(
        label=_("Joining"), choices=JoinPolicy.choices, initial=JoinPolicy.OPEN, widget=forms.RadioSelect
    )
    member_list_visibility = forms.ChoiceField(
        label=_("Member list"),
        choices=MemberListVisibility.choices,
        initial=MemberListVisibility.MEMBERS,
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if ("latitude" in cleaned and "longitude" in cleaned) and (
            (cleaned["latitude"] is None) != (cleaned["longitude"] is None)
        ):
            self.add_error("latitude", _("Give both latitude and longitude, or neither."))
        return cleaned


class CenterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the center offers circles. You can use Markdown."),
    )
    tendency = forms.CharField(
        label=_("Tendency or tradition"),
        required=False,
        max_length=80,
        help_text=_("For example: democratic socialist, anarchist, Marxist-Humanist."),
    )
    website = forms.URLField(label=_("Website"), required=False, max_length=300, assume_scheme="https")


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisers"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Say who you are or why you want to join."),
    )


class InviteForm(forms.Form):
    max_uses = forms.IntegerField(label=_("How many people may use it"), min_value=1, max_value=1000, initial=25)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=90, initial=14)


class MemberActionForm(forms.Form):
    """One organiser action on the members page: the target is a person (roles) or a join request."""

    ACTIONS = ("approve", "decline", "promote", "demote", "remove")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    target = forms.IntegerField(min_value=1)


class TieWantsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("What the circle wants from the center"))
        kwargs.setdefault("choices", TieWant.choices)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class TieForm(forms.Form):
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none(), empty_label=_("Choose a center"))
    wants = TieWantsField()
    note = forms.CharField(
        label=_("Note to the center"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Public, like the tie itself."),
    )

    def __init__(self, *args: Any, centers: QuerySet[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["center"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = centers


class TieEditForm(forms.Form):
    wants = TieWantsField()
    note = forms.CharField(
        label=_("Note to the center"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class EditorAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The address of someone who already has an account here."),
    )


class NamedGroupForm(forms.Form):
    """Name a circle or a center by its short name (the last part of its address). Valid only when it exists; the
    one found is in `circle` or `center` afterwards."""

    kind = forms.ChoiceField(label=_("Invite a"), choices=[("circle", _("Circle")), ("center", _("Center"))])
    slug = forms.SlugField(
        label=_("Its short name"), max_length=90, help_text=_("The last part of its address, as in /circles/…/.")
    )

    circle: Circle | None = None
    center: Center | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, slug = data.get("kind"), data.get("slug")
        if kind and slug:
            self.circle = circle_by_slug(slug) if kind == "circle" else None
            self.center = center_by_slug(slug) if kind == "center" else None
            if self.circle is None and self.center is None:
                self.add_error("slug", _("No %(kind)s has that short name.") % {"kind": kind})
        return data
