"""Every change to campaigns goes through the services: keyword-only, actor first, one transaction, refusals as
errors. Here the campaign itself, its sponsors, supporters and goals, and the checks the other parts share; planning
is in services_actions.py, progress reports in services_progress.py, petitions in services_petitions.py and kits in
services_kits.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.campaigns import permissions as perms
from freshground.campaigns.models import (
    Campaign,
    CampaignStatus,
    Goal,
    GoalUnit,
    Petition,
    Scope,
    Sponsor,
    SponsorStatus,
    Supporter,
)
from freshground.campaigns.queries import all_sponsors
from freshground.core.exceptions import Conflict, DomainError, PermissionDenied
from freshground.core.models import Tag
from freshground.core.permissions import is_person, is_site_admin
from freshground.core.tags import tags_from_names
from freshground.core.text import clean_text, unique_slug
from freshground.core.validation import checked_text
from freshground.network.models import Center, Circle, Membership

MAX_DEMANDS = 20
MAX_GOALS = 20


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def check_editable(values: Iterable[str], editable: Iterable[str]) -> None:
    unknown = set(values) - set(editable)
    if unknown:
        raise DomainError(_("These cannot be changed here: %(f)s.") % {"f": ", ".join(sorted(unknown))})


# The campaign


def resolve_topic(value: Tag | str | None, *, field: str = "topic") -> Tag | None:
    """The issue: a Tag, or a name/slug — a vocabulary topic when one matches, a new free tag otherwise."""
    if value is None or isinstance(value, Tag):
        return value
    text = clean_text(str(value))
    if not text:
        return None
    found = Tag.objects.filter(slug=text).first() or Tag.objects.filter(name__iexact=text).first()
    if found is not None:
        return found
    tags = tags_from_names([text], field)
    return tags[0] if tags else None


def _clean_demands(demands: Iterable[Any] | None) -> list[str]:
    cleaned = [checked_text(d, field="demands", limit=300, required=False) for d in (demands or [])]
    cleaned = [d for d in cleaned if d]
    if len(cleaned) > MAX_DEMANDS:
        raise DomainError(_("At most %(n)d demands.") % {"n": MAX_DEMANDS}, field="demands")
    return cleaned


def _check_dates(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise DomainError(_("The campaign cannot end before it starts."), field="ends_on")


def check_place(latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        raise DomainError(_("Give both latitude and longitude, or neither."), field="latitude")
    if latitude is not None and not -90 <= latitude <= 90:
        raise DomainError(_("Latitude is between -90 and 90."), field="latitude")
    if longitude is not None and not -180 <= longitude <= 180:
        raise DomainError(_("Longitude is between -180 and 180."), field="longitude")


def check_choice(value: str, choices: Sequence[str], field: str) -> str:
    if value not in choices:
        raise DomainError(_("Choose one of the options."), field=field)
    return value


@transaction.atomic
def create_campaign(
    *,
    actor: Any,
    sponsor: Circle | Center,
    title: str,
    description: str = "",
    topic: Tag | str | None = None,
    tags: Iterable[str] = (),
    demands: Iterable[str] = (),
    scope: str = Scope.LOCAL,
    place_name: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    status: str = CampaignStatus.ACTIVE,
    goals: Iterable[dict[str, Any]] = (),
) -> Campaign:
    """A new campaign with its initiating sponsor (a circle the actor organises, a center the actor edits)."""
    require(is_person(actor), _("Sign in to start a campaign."))
    require(
        perms.speaks_for_party(actor, sponsor) or is_site_admin(actor),
        _("Only its organisers can start a campaign in a circle's name (its editors for a center)."),
    )
    title = checked_text(title, field="title", limit=160, message=_("A campaign needs a title."))
    description = checked_text(description, field="description", limit=20000, required=False)
    place_name = checked_text(place_name, field="place_name", limit=160, required=False)
    check_choice(scope, Scope.values, "scope")
    if status not in {CampaignStatus.DRAFT, CampaignStatus.ACTIVE}:
        raise DomainError(_("A new campaign is a draft or active."), field="status")
    _check_dates(starts_on, ends_on)
    check_place(latitude, longitude)
    demand_list = _clean_demands(demands)
    topic_tag = resolve_topic(topic)
    tag_rows = tags_from_names(tags, "tags")
    goal_rows = list(goals)
    if len(goal_rows) > MAX_GOALS:
        raise DomainError(_("At most %(n)d goals.") % {"n": MAX_GOALS}, field="goals")
    campaign = Campaign.objects.create(
        title=title,
        slug=unique_slug(Campaign, title),
        description=description,
        topic=topic_tag,
        demands=demand_list,
        scope=scope,
        status=status,
        place_name=place_name,
        latitude=latitude,
        longitude=longitude,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
        sponsor_count=1,
    )
    campaign.tags.set(tag_rows)
    Sponsor.objects.create(
        campaign=campaign,
        **_party_fields(sponsor),
        status=SponsorStatus.ACTIVE,
        initiator=True,
        requested_by=actor,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    for position, goal in enumerate(goal_rows):
        _new_goal(campaign, position=position, **goal)
    perms.forget(actor)
    return campaign


EDITABLE = ("title", "description", "scope", "place_name", "latitude", "longitude", "starts_on", "ends_on")


@transaction.atomic
def update_campaign(*, actor: Any, campaign: Campaign, **values: Any) -> Campaign:
    require(perms.can_edit_campaign(actor, campaign), _("Only the campaign's sponsors can edit it."))
    check_editable(values, {*EDITABLE, "topic", "tags", "demands"})
    if "title" in values:
        campaign.title = checked_text(values["title"], field="title", limit=160, message=_("A campaign needs a title."))
    if "description" in values:
        campaign.description = checked_text(values["description"], field="description", limit=20000, required=False)
    if "place_name" in values:
        campaign.place_name = checked_text(values["place_name"], field="place_name", limit=160, required=False)
    if "scope" in values:
        campaign.scope = check_choice(values["scope"], Scope.values, "scope")
    for key in ("latitude", "longitude", "starts_on", "ends_on"):
        if key in values:
            setattr(campaign, key, values[key])
    _check_dates(campaign.starts_on, campaign.ends_on)
    check_place(campaign.latitude, campaign.longitude)
    if "demands" in values:
        campaign.demands = _clean_demands(values["demands"])
    if "topic" in values:
        campaign.topic = resolve_topic(values["topic"])
    if "tags" in values:
        campaign.tags.set(tags_from_names(values["tags"] or [], "tags"))
    campaign.updated_at = timezone.now()
    campaign.save()
    return campaign


@transaction.atomic
def set_status(*, actor: Any, campaign: Campaign, status: str) -> Campaign:
    """Publish a draft, or declare the campaign won, lost or ended (and reopen it)."""
    require(perms.can_change_status(actor, campaign), _("Only the campaign's sponsors can change its status."))
    check_choice(status, CampaignStatus.values, "status")
    if status == CampaignStatus.DRAFT and campaign.status != CampaignStatus.DRAFT:
        raise DomainError(_("A published campaign cannot go back to being a draft."), field="status")
    campaign.status = status
    campaign.updated_at = timezone.now()
    campaign.save(update_fields=["status", "updated_at"])
    return campaign


# Sponsorship


def _party_fields(party: Circle | Center) -> dict[str, Circle | Center | None]:
    return {
        "circle": party if isinstance(party, Circle) else None,
        "center": party if isinstance(party, Center) else None,
    }


def _locked(sponsor: Sponsor) -> Sponsor:
    return (
        Sponsor.objects.select_for_update(of=("self",))
        .select_related("campaign", "circle", "center")
        .get(pk=sponsor.pk)
    )


def _refresh_sponsor_count(campaign: Campaign) -> None:
    count = Sponsor.objects.filter(campaign=campaign, status=SponsorStatus.ACTIVE).count()
    Campaign.objects.filter(pk=campaign.pk).update(sponsor_count=count)
    campaign.sponsor_count = count
    vars(campaign).pop("_prefetched_objects_cache", None)


@transaction.atomic
def request_sponsorship(*, actor: Any, campaign: Campaign, party: Circle | Center, message: str = "") -> Sponsor:
    """A circle (its organisers) or a center (its editors) asks to co-sponsor; the initiators decide."""
    require(is_person(actor), _("Sign in first."))
    require(
        perms.speaks_for_party(actor, party) or is_site_admin(actor),
        _("Only its organisers can ask in a circle's name (its editors for a center)."),
    )
    if not campaign.is_open:
        raise Conflict(_("This campaign is over: it takes no new sponsors."))
    if not perms.can_request_sponsorship(actor, campaign, party):
        raise Conflict(_("%(party)s already sponsors this campaign or has asked to.") % {"party": party})
    message = checked_text(message, field="message", limit=2000, required=False)
    try:
        with transaction.atomic():
            sponsor = Sponsor.objects.create(
                campaign=campaign,
                **_party_fields(party),
                status=SponsorStatus.PENDING,
                message=message,
                requested_by=actor,
            )
    except IntegrityError as error:
        raise Conflict(_("%(party)s already sponsors this campaign or has asked to.") % {"party": party}) from error
    vars(campaign).pop("_prefetched_objects_cache", None)
    return sponsor


@transaction.atomic
def decide_sponsorship(*, actor: Any, sponsor: Sponsor, accept: bool) -> Sponsor:
    sponsor = _locked(sponsor)
    if sponsor.status != SponsorStatus.PENDING:
        raise Conflict(_("This request has already been answered."))
    require(
        perms.can_decide_sponsorship(actor, sponsor),
        _("Only the organisers who started the campaign accept or decline sponsors."),
    )
    sponsor.status = SponsorStatus.ACTIVE if accept else SponsorStatus.DECLINED
    sponsor.decided_by = actor
    sponsor.decided_at = timezone.now()
    sponsor.save(update_fields=["status", "decided_by", "decided_at"])
    _refresh_sponsor_count(sponsor.campaign)
    return sponsor


@transaction.atomic
def withdraw_sponsor(*, actor: Any, sponsor: Sponsor) -> Sponsor:
    """A sponsor leaves (or takes back its request). When the last initiator leaves, the longest-standing remaining
    sponsor becomes an initiator, so someone can always accept newcomers."""
    sponsor = _locked(sponsor)
    require(
        perms.can_withdraw_sponsor(actor, sponsor),
        _("Only the sponsor's own organisers (or editors) can withdraw it."),
    )
    was_initiator = sponsor.initiator and sponsor.status == SponsorStatus.ACTIVE
    sponsor.status = SponsorStatus.WITHDRAWN
    sponsor.ended_at = timezone.now()
    sponsor.save(update_fields=["status", "ended_at"])
    campaign = sponsor.campaign
    if was_initiator:
        remaining = Sponsor.objects.filter(campaign=campaign, status=SponsorStatus.ACTIVE)
        if not remaining.filter(initiator=True).exists():
            heir = remaining.order_by("created_at", "id").first()
            if heir is not None:
                Sponsor.objects.filter(pk=heir.pk).update(initiator=True)
    _refresh_sponsor_count(campaign)
    perms.forget(actor)
    return sponsor


# Supporters


@transaction.atomic
def support(*, actor: Any, campaign: Campaign) -> Supporter:
    require(is_person(actor), _("Sign in to support a campaign."))
    if not campaign.is_open:
        raise Conflict(_("This campaign is over."))
    supporter, created = Supporter.objects.get_or_create(campaign=campaign, person=actor)
    if created:
        Campaign.objects.filter(pk=campaign.pk).update(supporter_count=F("supporter_count") + 1)
        campaign.supporter_count += 1
    perms.forget(actor)
    return supporter


@transaction.atomic
def stop_supporting(*, actor: Any, campaign: Campaign) -> None:
    require(is_person(actor), _("Sign in first."))
    deleted, _rows = Supporter.objects.filter(campaign=campaign, person=actor).delete()
    if deleted:
        Campaign.objects.filter(pk=campaign.pk, supporter_count__gt=0).update(supporter_count=F("supporter_count") - 1)
        campaign.supporter_count = max(0, campaign.supporter_count - 1)
    perms.forget(actor)


# Goals


def _new_goal(
    campaign: Campaign,
    *,
    label: str,
    target: Any,
    unit: str = GoalUnit.OTHER,
    current: Any = 0,
    petition: Petition | None = None,
    position: int = 0,
) -> Goal:
    label = checked_text(label, field="label", limit=200, message=_("Say what the goal is."))
    check_choice(unit, GoalUnit.values, "unit")
    target_n = whole_number(target, field="target", minimum=1)
    current_n = whole_number(current, field="current", minimum=0)
    if petition is not None and petition.campaign_id != campaign.pk:
        raise DomainError(_("That petition belongs to another campaign."), field="petition")
    return Goal.objects.create(
        campaign=campaign,
        label=label,
        unit=unit,
        target=target_n,
        current=petition.signature_count if petition else current_n,
        petition=petition,
        position=position,
    )


def whole_number(value: Any, *, field: str, minimum: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as error:
        raise DomainError(_("Enter a whole number."), field=field) from error
    if number < minimum or number > 2_000_000_000:
        raise DomainError(_("Enter a whole number of at least %(n)d.") % {"n": minimum}, field=field)
    return number


@transaction.atomic
def add_goal(
    *,
    actor: Any,
    campaign: Campaign,
    label: str,
    target: Any,
    unit: str = GoalUnit.OTHER,
    current: Any = 0,
    petition: Petition | None = None,
) -> Goal:
    require(perms.can_plan(actor, campaign), _("Only the campaign's sponsors can set its goals."))
    if campaign.goals.count() >= MAX_GOALS:
        raise DomainError(_("At most %(n)d goals.") % {"n": MAX_GOALS}, field="label")
    position = campaign.goals.count()
    return _new_goal(
        campaign, label=label, target=target, unit=unit, current=current, petition=petition, position=position
    )


@transaction.atomic
def update_goal_progress(*, actor: Any, goal: Goal, current: Any) -> Goal:
    """Organisers set the current value (a goal tied to a petition follows its count instead)."""
    require(perms.can_plan(actor, goal.campaign), _("Only the campaign's sponsors can update its goals."))
    if goal.petition_id is not None:
        raise Conflict(_("This goal follows its petition's signatures."), field="current")
    goal.current = whole_number(current, field="current", minimum=0)
    goal.updated_at = timezone.now()
    goal.save(update_fields=["current", "updated_at"])
    return goal


@transaction.atomic
def delete_goal(*, actor: Any, goal: Goal) -> None:
    require(perms.can_plan(actor, goal.campaign), _("Only the campaign's sponsors can change its goals."))
    goal.delete()


# Helpers for forms and the API


def parties_of(person: Any) -> list[Circle | Center]:
    """The circles person organises and the centers person edits: the names they may act in."""
    if not is_person(person):
        return []
    circles = list(
        Circle.objects.filter(memberships__person=person, memberships__role="organiser").order_by("name", "id")
    )
    centers = list(Center.objects.filter(editorships__person=person).order_by("name", "id"))
    return [*circles, *centers]


def sponsor_of(campaign: Campaign, party: Circle | Center) -> Sponsor | None:
    field = "circle_id" if isinstance(party, Circle) else "center_id"
    for sponsor in all_sponsors(campaign):
        if getattr(sponsor, field) == party.pk and sponsor.status in {SponsorStatus.PENDING, SponsorStatus.ACTIVE}:
            return sponsor
    return None


def sponsor_circle_member_ids(campaign: Campaign) -> set[int]:
    circle_ids = [s.circle_id for s in all_sponsors(campaign) if s.status == SponsorStatus.ACTIVE and s.circle_id]
    return set(Membership.objects.filter(circle_id__in=circle_ids).values_list("person_id", flat=True))
