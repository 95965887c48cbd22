"""Forms for the moderation pages. They parse input; services decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from freshground.moderation.models import REASON_MAX, TEXT_MAX, FlagCategory
from freshground.moderation.services import CONTENT_ACTIONS, MAX_SLOW_MODE_SECONDS, MAX_SUSPENSION_DAYS


class RulesForm(forms.Form):
    body = forms.CharField(
        label=_("Text (markdown)"), widget=forms.Textarea(attrs={"rows": 16}), max_length=TEXT_MAX * 5
    )
    note = forms.CharField(label=_("What changed"), required=False, max_length=300)


class HouseRulesForm(forms.Form):
    body = forms.CharField(
        label=_("House rules (markdown)"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        max_length=TEXT_MAX,
    )


class FlagForm(forms.Form):
    category = forms.ChoiceField(label=_("Reason"), choices=FlagCategory.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("What is wrong (optional unless “something else”)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ContentActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("hide", _("Hide it")),
            ("restore", _("Restore it")),
            ("edit", _("Edit it with a note")),
            ("dismiss", _("Dismiss the flags")),
            ("approve", _("Approve it")),
            ("reject", _("Reject it")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason (shown to the author)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    text = forms.CharField(
        label=_("New text (for an edit)"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )

    def clean_action(self) -> str:
        action = str(self.cleaned_data["action"])
        if action not in CONTENT_ACTIONS:
            raise forms.ValidationError(_("Choose an action."))
        return action


class ThreadActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("lock", _("Lock the thread")), ("unlock", _("Unlock the thread")), ("slow_mode", _("Set slow mode"))],
    )
    seconds = forms.IntegerField(
        label=_("Slow mode: seconds between posts per person (0 turns it off)"),
        required=False,
        min_value=0,
        max_value=MAX_SLOW_MODE_SECONDS,
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=REASON_MAX)


class PersonActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("warn", _("Warn")),
            ("suspend", _("Suspend from this space")),
            ("ban", _("Ban from this space")),
            ("site_suspend", _("Suspend from the whole site")),
            ("lift", _("Lift a suspension or ban")),
        ],
    )
    space = forms.CharField(label=_("Where"), required=False, max_length=120)
    days = forms.IntegerField(
        label=_("Days (for a suspension)"), required=False, min_value=1, max_value=MAX_SUSPENSION_DAYS
    )
    reason = forms.CharField(
        label=_("Reason (shown to the person)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should the decision change?"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("uphold", _("Uphold the decision")), ("overturn", _("Overturn the decision"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Explanation (shown to the person)"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class SpaceSettingsForm(forms.Form):
    first_posts_need_approval = forms.BooleanField(
        label=_("First posts need approval"),
        required=False,
        help_text=_("A person's posts here wait for a moderator until one of them has been approved."),
    )


class SiteModeratorForm(forms.Form):
    person = forms.IntegerField(label=_("Person's number (from their profile address)"), min_value=1)
