"""Forms for decisions: the decision form, one ballot form per method, options, objections, the receipt checker.

Every ballot form works without JavaScript: radio buttons (single choice, consent, advice), checkboxes (approval),
a select per option (score; ranked: a numbered select per option), number inputs (dots).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from freshground.campaigns.models import Campaign
from freshground.decisions.models import (
    RANKED_METHODS,
    AdviceKind,
    Decision,
    Electorate,
    MethodChoice,
    ObjectionStatus,
    Option,
    ResultsVisibility,
)
from freshground.decisions.services import DecisionFields
from freshground.decisions.services_voting import BallotInput
from freshground.network.models import Center, Circle
from freshground.people.models import Person

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DecisionForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    method = forms.ChoiceField(label=_("Method"), choices=MethodChoice.choices)
    options = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One per line. Not needed for consent and advice, where the question is the proposal."),
    )
    campaigns = forms.ModelMultipleChoiceField(
        label=_("Campaigns as options"),
        queryset=Campaign.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Prioritising campaigns: the network picks its common priorities."),
    )
    allow_proposals = forms.BooleanField(label=_("Participants propose options first"), required=False)
    electorate = forms.ChoiceField(label=_("Who votes"), choices=Electorate.choices)
    delegates = forms.CharField(
        label=_("Delegates"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("For a list of delegates: their e-mail addresses, one per line."),
    )
    seats = forms.IntegerField(label=_("Seats (STV)"), min_value=1, max_value=20, initial=1)
    max_score = forms.IntegerField(label=_("Highest score (score voting)"), min_value=1, max_value=100, initial=5)
    dots = forms.IntegerField(label=_("Dots per voter (dot voting)"), min_value=1, max_value=100, initial=5)
    max_choices = forms.IntegerField(
        label=_("Most ticks (approval)"), min_value=1, required=False, help_text=_("Empty: any number.")
    )
    opens_at = forms.DateTimeField(label=_("Voting opens"), required=False, widget=DATETIME_INPUT)
    closes_at = forms.DateTimeField(label=_("Voting closes"), required=False, widget=DATETIME_INPUT)
    results_visibility = forms.ChoiceField(
        label=_("Results"), choices=ResultsVisibility.choices, initial=ResultsVisibility.AFTER_CLOSE
    )
    secret = forms.BooleanField(
        label=_("Secret ballot"),
        required=False,
        initial=True,
        help_text=_("Nobody can see who voted what. Consent and advice are always open."),
    )
    quorum = forms.IntegerField(label=_("Quorum"), min_value=0, initial=0)
    region = forms.CharField(label=_("Region or place"), max_length=120, required=False)

    def __init__(self, *args: Any, space: Circle | Center | Campaign | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        electorates = [(Electorate.DELEGATES.value, Electorate.DELEGATES.label)]
        electorates.append((Electorate.SIGNED_IN.value, Electorate.SIGNED_IN.label))
        if isinstance(space, Circle):
            electorates.insert(0, (Electorate.CIRCLE_MEMBERS.value, Electorate.CIRCLE_MEMBERS.label))
        if isinstance(space, Campaign):
            electorates.insert(0, (Electorate.CAMPAIGN_SPONSORS.value, Electorate.CAMPAIGN_SPONSORS.label))
        self.fields["electorate"].choices = electorates  # type: ignore[attr-defined]
        if space is None:
            self.fields["campaigns"].queryset = Campaign.objects.order_by("title")  # type: ignore[attr-defined]
        else:
            del self.fields["campaigns"]
            del self.fields["region"]

    def option_labels(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("options", "").splitlines() if line.strip()]

    def delegate_people(self) -> list[Person]:
        emails = {line.strip().casefold() for line in self.cleaned_data.get("delegates", "").split() if line.strip()}
        if not emails:
            return []
        people = list(Person.objects.filter(email__in=emails, is_active=True))
        found = {p.email.casefold() for p in people}
        missing = sorted(emails - found)
        if missing:
            self.add_error("delegates", _("Nobody here has these addresses: %(list)s") % {"list": ", ".join(missing)})
        return people

    def fields_value(self) -> DecisionFields:
        data = self.cleaned_data
        return DecisionFields(
            question=data["question"],
            description=data.get("description", ""),
            method=data["method"],
            electorate=data["electorate"],
            region=data.get("region", ""),
            allow_proposals=bool(data.get("allow_proposals")),
            seats=data.get("seats") or 1,
            max_score=data.get("max_score") or 5,
            dots=data.get("dots") or 5,
            max_choices=data.get("max_choices"),
            opens_at=data.get("opens_at"),
            closes_at=data.get("closes_at"),
            results_visibility=data["results_visibility"],
            secret=bool(data.get("secret")),
            quorum=data.get("quorum") or 0,
        )


class OptionForm(forms.Form):
    label = forms.CharField(label=_("Option"), max_length=200)
    description = forms.CharField(
        label=_("Why (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )


class BallotForm(forms.Form):
    """One form class, its fields chosen by the decision's method."""

    def __init__(
        self,
        *args: Any,
        decision: Decision,
        options: list[Option],
        parties: list[Circle | Center] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.options = options
        self.parties = parties or []
        method = decision.method
        choices = [(o.key, o.label) for o in options]
        if len(self.parties) > 1:
            self.fields["sponsor"] = forms.ChoiceField(
                label=_("You vote for"), choices=[(self.party_key(p), str(p)) for p in self.parties]
            )
        if method == MethodChoice.SINGLE:
            self.fields["choice"] = forms.ChoiceField(label=_("Your choice"), choices=choices, widget=forms.RadioSelect)
        elif method == MethodChoice.APPROVAL:
            self.fields["choices"] = forms.MultipleChoiceField(
                label=_("Every option you approve of"), choices=choices, widget=forms.CheckboxSelectMultiple
            )
        elif method == MethodChoice.SCORE:
            scores = [(str(n), str(n)) for n in range(decision.max_score + 1)]
            for option in options:
                self.fields[f"score_{option.key}"] = forms.TypedChoiceField(
                    label=option.label, choices=scores, coerce=int, initial="0"
                )
        elif method == MethodChoice.DOTS:
            for option in options:
                self.fields[f"dots_{option.key}"] = forms.IntegerField(
                    label=option.label, min_value=0, max_value=decision.dots, initial=0, required=False
                )
        elif method in RANKED_METHODS:
            ranks = [("", _("not ranked"))] + [(str(n), str(n)) for n in range(1, len(options) + 1)]
            for option in options:
                self.fields[f"rank_{option.key}"] = forms.TypedChoiceField(
                    label=option.label, choices=ranks, coerce=int, empty_value=None, required=False
                )
        elif method == MethodChoice.CONSENT:
            self.fields["response"] = forms.ChoiceField(
                label=_("Your response"),
                choices=[
                    ("consent", _("I consent")),
                    ("stand_aside", _("I stand aside")),
                    ("object", _("I object")),
                ],
                widget=forms.RadioSelect,
            )
            self.fields["reason"] = forms.CharField(
                label=_("Reason for an objection"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=4000,
                help_text=_("An objection needs a reason: what harm would this do, and what would fix it?"),
            )
        elif method == MethodChoice.ADVICE:
            self.fields["response"] = forms.ChoiceField(
                label=_("Your advice"), choices=AdviceKind.choices, widget=forms.RadioSelect
            )
            self.fields["reason"] = forms.CharField(
                label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
            )

    @staticmethod
    def party_key(party: Circle | Center) -> str:
        return f"{'circle' if isinstance(party, Circle) else 'center'}:{party.pk}"

    @property
    def is_ranked(self) -> bool:
        return self.decision.method in RANKED_METHODS

    def chosen_party(self) -> Circle | Center | None:
        key = self.cleaned_data.get("sponsor")
        return next((p for p in self.parties if self.party_key(p) == key), None)

    def ballot(self) -> BallotInput:
        data = self.cleaned_data
        method = self.decision.method
        if method == MethodChoice.SINGLE:
            return BallotInput(choices=[data["choice"]])
        if method == MethodChoice.APPROVAL:
            return BallotInput(choices=list(data.get("choices", [])))
        if method == MethodChoice.SCORE:
            return BallotInput(points={o.key: data.get(f"score_{o.key}") or 0 for o in self.options})
        if method == MethodChoice.DOTS:
            return BallotInput(points={o.key: data.get(f"dots_{o.key}") or 0 for o in self.options})
        if method in RANKED_METHODS:
            return BallotInput(ranks={o.key: data.get(f"rank_{o.key}") for o in self.options})
        return BallotInput(response=data.get("response", ""), reason=data.get("reason", ""))


class ObjectionAnswerForm(forms.Form):
    response = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ObjectionSettleForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (ObjectionStatus.WITHDRAWN.value, _("Withdraw")),
            (ObjectionStatus.RESOLVED.value, _("Resolved by the answer")),
            (ObjectionStatus.UPHELD.value, _("Uphold")),
        ]
    )


class ReceiptForm(forms.Form):
    code = forms.CharField(label=_("Your receipt code"), max_length=40)
