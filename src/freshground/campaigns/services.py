"""Every change to campaigns goes through here: keyword-only, actor first, one transaction, refusals as errors."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.campaigns import permissions as perms
from freshground.campaigns.models import (
    Action,
    ActionStatus,
    Campaign,
    CampaignStatus,
    Goal,
    GoalUnit,
    KitItem,
    KitKind,
    Petition,
    ProgressReport,
    Scope,
    Signature,
    Sponsor,
    SponsorStatus,
    Supporter,
    Task,
)
from freshground.campaigns.queries import all_sponsors
from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.core.models import Tag
from freshground.core.permissions import is_person, is_site_admin
from freshground.core.tags import tags_from_names
from freshground.core.text import clean_text, unique_slug
from freshground.core.validation import checked_text
from freshground.events.models import Event
from freshground.network.models import Center, Circle, Membership
from freshground.people.models import Person

logger = logging.getLogger(__name__)

MAX_DEMANDS = 20
MAX_GOALS = 20
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_EXTENSIONS = frozenset({"pdf", "png", "jpg", "jpeg", "odt", "docx", "txt", "svg", "zip"})
SIGNATURE_SALT = "freshground.campaigns.signature"
SIGNATURE_LINK_DAYS = 14


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _touch(campaign: Campaign) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(updated_at=timezone.now())


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


def _check_place(latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        raise DomainError(_("Give both latitude and longitude, or neither."), field="latitude")
    if latitude is not None and not -90 <= latitude <= 90:
        raise DomainError(_("Latitude is between -90 and 90."), field="latitude")
    if longitude is not None and not -180 <= longitude <= 180:
        raise DomainError(_("Longitude is between -180 and 180."), field="longitude")


def _check_choice(value: str, choices: Sequence[str], field: str) -> str:
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
    _require(is_person(actor), _("Sign in to start a campaign."))
    _require(
        perms.speaks_for_party(actor, sponsor) or is_site_admin(actor),
        _("Only its organisers can start a campaign in a circle's name (its editors for a center)."),
    )
    title = checked_text(title, field="title", limit=160, message=_("A campaign needs a title."))
    description = checked_text(description, field="description", limit=20000, required=False)
    place_name = checked_text(place_name, field="place_name", limit=160, required=False)
    _check_choice(scope, Scope.values, "scope")
    if status not in {CampaignStatus.DRAFT, CampaignStatus.ACTIVE}:
        raise DomainError(_("A new campaign is a draft or active."), field="status")
    _check_dates(starts_on, ends_on)
    _check_place(latitude, longitude)
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
        circle=sponsor if isinstance(sponsor, Circle) else None,
        center=sponsor if isinstance(sponsor, Center) else None,
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
    _require(perms.can_edit_campaign(actor, campaign), _("Only the campaign's sponsors can edit it."))
    unknown = set(values) - {*EDITABLE, "topic", "tags", "demands"}
    if unknown:
        raise DomainError(_("These cannot be changed here: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "title" in values:
        campaign.title = checked_text(values["title"], field="title", limit=160, message=_("A campaign needs a title."))
    if "description" in values:
        campaign.description = checked_text(values["description"], field="description", limit=20000, required=False)
    if "place_name" in values:
        campaign.place_name = checked_text(values["place_name"], field="place_name", limit=160, required=False)
    if "scope" in values:
        campaign.scope = _check_choice(values["scope"], Scope.values, "scope")
    for key in ("latitude", "longitude", "starts_on", "ends_on"):
        if key in values:
            setattr(campaign, key, values[key])
    _check_dates(campaign.starts_on, campaign.ends_on)
    _check_place(campaign.latitude, campaign.longitude)
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
    _require(perms.can_change_status(actor, campaign), _("Only the campaign's sponsors can change its status."))
    _check_choice(status, CampaignStatus.values, "status")
    if status == CampaignStatus.DRAFT and campaign.status != CampaignStatus.DRAFT:
        raise DomainError(_("A published campaign cannot go back to being a draft."), field="status")
    campaign.status = status
    campaign.updated_at = timezone.now()
    campaign.save(update_fields=["status", "updated_at"])
    return campaign


# Sponsorship


def _refresh_sponsor_count(campaign: Campaign) -> None:
    count = Sponsor.objects.filter(campaign=campaign, status=SponsorStatus.ACTIVE).count()
    Campaign.objects.filter(pk=campaign.pk).update(sponsor_count=count)
    campaign.sponsor_count = count
    vars(campaign).pop("_prefetched_objects_cache", None)


@transaction.atomic
def request_sponsorship(*, actor: Any, campaign: Campaign, party: Circle | Center, message: str = "") -> Sponsor:
    """A circle (its organisers) or a center (its editors) asks to co-sponsor; the initiators decide."""
    _require(is_person(actor), _("Sign in first."))
    _require(
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
                circle=party if isinstance(party, Circle) else None,
                center=party if isinstance(party, Center) else None,
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
    sponsor = (
        Sponsor.objects.select_for_update(of=("self",))
        .select_related("campaign", "circle", "center")
        .get(pk=sponsor.pk)
    )
    if sponsor.status != SponsorStatus.PENDING:
        raise Conflict(_("This request has already been answered."))
    _require(
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
    sponsor = (
        Sponsor.objects.select_for_update(of=("self",))
        .select_related("campaign", "circle", "center")
        .get(pk=sponsor.pk)
    )
    _require(
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
    _require(is_person(actor), _("Sign in to support a campaign."))
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
    _require(is_person(actor), _("Sign in first."))
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
    _check_choice(unit, GoalUnit.values, "unit")
    target_n = _positive(target, field="target", minimum=1)
    current_n = _positive(current, field="current", minimum=0)
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


def _positive(value: Any, *, field: str, minimum: int) -> int:
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
    _require(perms.can_plan(actor, campaign), _("Only the campaign's sponsors can set its goals."))
    if campaign.goals.count() >= MAX_GOALS:
        raise DomainError(_("At most %(n)d goals.") % {"n": MAX_GOALS}, field="label")
    position = campaign.goals.count()
    return _new_goal(
        campaign, label=label, target=target, unit=unit, current=current, petition=petition, position=position
    )


@transaction.atomic
def update_goal_progress(*, actor: Any, goal: Goal, current: Any) -> Goal:
    """Organisers set the current value (a goal tied to a petition follows its count instead)."""
    _require(perms.can_plan(actor, goal.campaign), _("Only the campaign's sponsors can update its goals."))
    if goal.petition_id is not None:
        raise Conflict(_("This goal follows its petition's signatures."), field="current")
    goal.current = _positive(current, field="current", minimum=0)
    goal.updated_at = timezone.now()
    goal.save(update_fields=["current", "updated_at"])
    return goal


@transaction.atomic
def delete_goal(*, actor: Any, goal: Goal) -> None:
    _require(perms.can_plan(actor, goal.campaign), _("Only the campaign's sponsors can change its goals."))
    goal.delete()


# Planning


def _owner_ok(campaign: Campaign, person: Person | None) -> None:
    if person is not None and not perms.is_participant(person, campaign):
        raise DomainError(
            _("%(name)s is neither a supporter nor in a sponsoring group.") % {"name": person}, field="owner"
        )


@transaction.atomic
def add_action(
    *,
    actor: Any,
    campaign: Campaign,
    title: str,
    starts_at: datetime,
    description: str = "",
    place_name: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    owner: Person | None = None,
    people_needed: Any = 0,
    status: str = ActionStatus.PLANNED,
    event: Event | None = None,
) -> Action:
    _require(perms.can_plan(actor, campaign), _("Only the campaign's sponsors can plan its actions."))
    title = checked_text(title, field="title", limit=160, message=_("Give the action a title."))
    description = checked_text(description, field="description", limit=5000, required=False)
    place_name = checked_text(place_name, field="place_name", limit=160, required=False)
    if not isinstance(starts_at, datetime):
        raise DomainError(_("Give a date and time."), field="starts_at")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    _check_place(latitude, longitude)
    _check_choice(status, ActionStatus.values, "status")
    _owner_ok(campaign, owner)
    return Action.objects.create(
        campaign=campaign,
        title=title,
        description=description,
        starts_at=starts_at,
        place_name=place_name,
        latitude=latitude,
        longitude=longitude,
        owner=owner or actor,
        people_needed=_positive(people_needed, field="people_needed", minimum=0),
        status=status,
        event=event,
        created_by=actor,
    )


ACTION_EDITABLE = frozenset(
    {"title", "description", "place_name", "status", "people_needed", "starts_at", "owner", "event"}
)


@transaction.atomic
def update_action(*, actor: Any, action: Action, **values: Any) -> Action:
    """Change an action's title, date, place, owner, needed people, status or linked calendar event."""
    _require(perms.can_plan(actor, action.campaign), _("Only the campaign's sponsors can change its actions."))
    unknown = set(values) - ACTION_EDITABLE
    if unknown:
        raise DomainError(_("These cannot be changed here: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "title" in values:
        action.title = checked_text(values["title"], field="title", limit=160, message=_("Give the action a title."))
    if "description" in values:
        action.description = checked_text(values["description"], field="description", limit=5000, required=False)
    if "place_name" in values:
        action.place_name = checked_text(values["place_name"], field="place_name", limit=160, required=False)
    if "status" in values:
        action.status = _check_choice(values["status"], ActionStatus.values, "status")
    if "people_needed" in values:
        action.people_needed = _positive(values["people_needed"], field="people_needed", minimum=0)
    if "starts_at" in values:
        starts_at = values["starts_at"]
        if not isinstance(starts_at, datetime):
            raise DomainError(_("Give a date and time."), field="starts_at")
        action.starts_at = timezone.make_aware(starts_at) if timezone.is_naive(starts_at) else starts_at
    if "owner" in values:
        owner = values["owner"]
        if owner is not None and owner.pk != action.owner_id:  # keeping an owner who has since left is fine
            _owner_ok(action.campaign, owner)
        action.owner = owner
    if "event" in values:
        if values["event"] is not None and not isinstance(values["event"], Event):
            raise DomainError(_("No event has that short name."), field="event")
        action.event = values["event"]
    action.save()
    return action


@transaction.atomic
def add_task(
    *,
    actor: Any,
    campaign: Campaign,
    title: str,
    notes: str = "",
    due_on: date | None = None,
    assignees: Iterable[Person] = (),
    action: Action | None = None,
) -> Task:
    _require(perms.can_plan(actor, campaign), _("Only the campaign's sponsors can hand out tasks."))
    title = checked_text(title, field="title", limit=200, message=_("Say what needs doing."))
    notes = checked_text(notes, field="notes", limit=3000, required=False)
    people = list(assignees)
    for person in people:
        if not perms.is_participant(person, campaign):
            raise DomainError(
                _("%(name)s is neither a supporter nor in a sponsoring group.") % {"name": person}, field="assignees"
            )
    if action is not None and action.campaign_id != campaign.pk:
        raise DomainError(_("That action belongs to another campaign."), field="action")
    task = Task.objects.create(
        campaign=campaign, title=title, notes=notes, due_on=due_on, action=action, created_by=actor
    )
    task.assignees.set(people)
    return task


@transaction.atomic
def set_task_done(*, actor: Any, task: Task, done: bool) -> Task:
    _require(perms.can_complete_task(actor, task), _("Only its assignees and the sponsors can tick a task off."))
    task.done = done
    task.done_at = timezone.now() if done else None
    task.save(update_fields=["done", "done_at"])
    return task


# Progress reports


@transaction.atomic
def post_progress(*, actor: Any, campaign: Campaign, sponsor: Sponsor, body: str) -> ProgressReport:
    """ "What we did this week", in the name of an active sponsor the actor belongs to."""
    _require(
        perms.can_report_for(actor, campaign, sponsor),
        _("Only members of a sponsoring circle (or editors of a sponsoring center) can report in its name."),
    )
    body = checked_text(body, field="body", limit=10000, message=_("Tell the others what you did."))
    report = ProgressReport.objects.create(
        campaign=campaign, circle_id=sponsor.circle_id, center_id=sponsor.center_id, author=actor, body=body
    )
    _touch(campaign)
    return report


@transaction.atomic
def delete_report(*, actor: Any, report: ProgressReport) -> None:
    _require(perms.can_delete_report(actor, report), _("Only its author or the campaign's sponsors can delete it."))
    report.delete()


# Petitions


@transaction.atomic
def create_petition(
    *,
    actor: Any,
    campaign: Campaign,
    title: str,
    target: str,
    text: str,
    signature_goal: Any = 0,
    show_signers: bool = True,
    add_goal: bool = True,
) -> Petition:
    _require(perms.can_manage_campaign(actor, campaign), _("Only the campaign's sponsors can start a petition."))
    title = checked_text(title, field="title", limit=200, message=_("A petition needs a title."))
    target = checked_text(target, field="target", limit=200, message=_("Say who the petition is addressed to."))
    text = checked_text(text, field="text", limit=20000, message=_("Write what the petition asks for."))
    goal_n = _positive(signature_goal, field="signature_goal", minimum=0)
    petition = Petition.objects.create(
        campaign=campaign,
        title=title,
        target=target,
        text=text,
        signature_goal=goal_n,
        show_signers=bool(show_signers),
        created_by=actor,
    )
    if add_goal and goal_n:
        Goal.objects.create(
            campaign=campaign,
            label=title,
            unit=GoalUnit.SIGNATURES,
            target=goal_n,
            petition=petition,
            position=campaign.goals.count(),
        )
    return petition


@transaction.atomic
def close_petition(*, actor: Any, petition: Petition, is_open: bool = False) -> Petition:
    _require(perms.can_manage_petition(actor, petition), _("Only the campaign's sponsors can close a petition."))
    petition.is_open = is_open
    petition.save(update_fields=["is_open"])
    return petition


def normalise_email(email: str) -> str:
    """One form per address: trimmed and lower-cased (both parts: the providers people use ignore case)."""
    address = (email or "").strip()
    try:
        validate_email(address)
    except ValidationError as error:
        raise DomainError(_("Enter a valid e-mail address."), field="email") from error
    return address.lower()


def signature_token(signature: Signature) -> str:
    return signing.dumps({"s": signature.pk, "e": signature.email}, salt=SIGNATURE_SALT, compress=True)


def confirm_url(signature: Signature) -> str:
    path = reverse("campaigns:signature_confirm", args=[signature_token(signature)])
    return settings.SITE_URL.rstrip("/") + path


def _mail_confirmation(signature: Signature) -> None:
    signature_id = signature.pk

    def deliver() -> None:
        row = Signature.objects.select_related("petition", "petition__campaign").filter(pk=signature_id).first()
        if row is None:
            return
        subject = _("Confirm your signature: %(title)s") % {"title": row.petition.title}
        body = _(
            "Hello %(name)s,\n\nthank you for signing “%(title)s”. Follow this link to confirm your signature "
            "(it counts only once confirmed):\n\n%(url)s\n\nIf you did not sign, ignore this e-mail: nothing will "
            "be counted.\n"
        ) % {"name": row.name, "title": row.petition.title, "url": confirm_url(row)}
        try:
            send_mail(subject, body, None, [row.email])
        except Exception:
            logger.exception("Could not send the confirmation for signature %s", signature_id)

    transaction.on_commit(deliver)


@transaction.atomic
def sign_petition(
    *,
    actor: Any,
    petition: Petition,
    name: str,
    email: str,
    place_name: str = "",
    show_name: bool = False,
) -> Signature:
    """A signature, counted once confirmed through the link mailed to the address. Signing again with the same
    address never says whether it had signed (that would tell anyone who signed): it mails the link again when the
    signature is unconfirmed, and answers the same way."""
    if not perms.can_sign(petition):
        raise Conflict(_("This petition is closed."))
    name = checked_text(name, field="name", limit=120, message=_("Give your name."))
    place_name = checked_text(place_name, field="place_name", limit=160, required=False)
    address = normalise_email(email)
    existing = Signature.objects.filter(petition=petition, email=address).first()
    if existing is not None:
        if existing.confirmed_at is None:
            _mail_confirmation(existing)
        return existing
    signature = Signature(
        petition=petition,
        name=name,
        place_name=place_name,
        email=address,
        show_name=bool(show_name),
        person=actor if is_person(actor) else None,
    )
    try:
        with transaction.atomic():
            signature.save()
    except IntegrityError:
        found = Signature.objects.filter(petition=petition, email=address).first()
        if found is None:
            raise
        return found
    _mail_confirmation(signature)
    return signature


def signature_by_token(token: str) -> Signature | None:
    if not token or len(token) > 400:
        return None
    try:
        data = signing.loads(token, salt=SIGNATURE_SALT, max_age=SIGNATURE_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    pk, email = data.get("s"), data.get("e")
    if not isinstance(pk, int) or not isinstance(email, str):
        return None
    return Signature.objects.filter(pk=pk, email=email).select_related("petition", "petition__campaign").first()


def _refresh_signature_count(petition: Petition) -> None:
    count = Signature.objects.filter(petition=petition, confirmed_at__isnull=False).count()
    Petition.objects.filter(pk=petition.pk).update(signature_count=count)
    Goal.objects.filter(petition=petition).update(current=count, updated_at=timezone.now())
    petition.signature_count = count


@transaction.atomic
def confirm_signature(*, token: str) -> Signature:
    """The signer followed their link: the signature counts. Confirming twice is harmless."""
    found = signature_by_token(token)
    if found is None:
        raise NotFound(_("This link is not valid or has expired. Sign again to get a new one."))
    petition = Petition.objects.select_for_update().get(pk=found.petition_id)
    signature = Signature.objects.select_for_update().get(pk=found.pk)
    if signature.confirmed_at is None:
        signature.confirmed_at = timezone.now()
        signature.save(update_fields=["confirmed_at"])
        _refresh_signature_count(petition)
    signature.petition = petition
    return signature


# Kits


def _check_attachment(attachment: UploadedFile[Any] | None) -> None:
    if attachment is None:
        return
    if attachment.size is not None and attachment.size > MAX_ATTACHMENT_BYTES:
        raise DomainError(
            _("The file is too large (at most %(n)d MB).") % {"n": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            field="attachment",
        )
    extension = (attachment.name or "").rsplit(".", 1)[-1].lower()
    if extension not in ATTACHMENT_EXTENSIONS:
        raise DomainError(
            _("Upload one of: %(types)s.") % {"types": ", ".join(sorted(ATTACHMENT_EXTENSIONS))}, field="attachment"
        )


@transaction.atomic
def add_kit_item(
    *,
    actor: Any,
    campaign: Campaign,
    title: str,
    kind: str = KitKind.LEAFLET,
    body: str = "",
    attachment: UploadedFile[Any] | None = None,
) -> KitItem:
    _require(perms.can_manage_kit(actor, campaign), _("Only the campaign's sponsors can add to its kit."))
    title = checked_text(title, field="title", limit=200, message=_("Give it a title."))
    body = checked_text(body, field="body", limit=50000, required=False)
    _check_choice(kind, KitKind.values, "kind")
    _check_attachment(attachment)
    if not body and attachment is None:
        raise DomainError(_("Write the text or attach a file."), field="body")
    item = KitItem(campaign=campaign, kind=kind, title=title, body=body, created_by=actor)
    if attachment is not None:
        item.attachment.save(attachment.name or "file", attachment, save=False)
    item.save()
    return item


@transaction.atomic
def update_kit_item(*, actor: Any, item: KitItem, title: str | None = None, body: str | None = None) -> KitItem:
    _require(perms.can_edit_kit_item(actor, item), _("Only its owners can change this material."))
    if title is not None:
        item.title = checked_text(title, field="title", limit=200, message=_("Give it a title."))
    if body is not None:
        item.body = checked_text(body, field="body", limit=50000, required=False)
    item.updated_at = timezone.now()
    item.save()
    return item


@transaction.atomic
def set_kit_attachment(*, actor: Any, item: KitItem, attachment: UploadedFile[Any] | None) -> KitItem:
    """Attach a file to a kit item (replacing its file), with the same size cap and file types as a new item. The
    old file stays in storage: a circle's copy may share it."""
    _require(perms.can_edit_kit_item(actor, item), _("Only its owners can change this material."))
    if attachment is None:
        raise DomainError(_("Choose a file to upload."), field="attachment")
    _check_attachment(attachment)
    item.attachment.save(attachment.name or "file", attachment, save=False)
    item.updated_at = timezone.now()
    item.save(update_fields=["attachment", "updated_at"])
    return item


def credit_for(item: KitItem) -> str:
    owner = str(item.circle) if item.circle_id else item.campaign.title
    return _("Adapted from “%(title)s” by %(owner)s") % {"title": item.title, "owner": owner}


@transaction.atomic
def copy_kit_item(*, actor: Any, item: KitItem, circle: Circle) -> KitItem:
    """ "Copy into our circle": a circle-owned copy to adapt, crediting (and linking back to) the original."""
    _require(
        perms.can_copy_kit_item(actor, item, circle),
        _("Only organisers of a circle that sponsors this campaign can copy its kit into the circle."),
    )
    return KitItem.objects.create(
        campaign=item.campaign,
        circle=circle,
        kind=item.kind,
        title=item.title,
        body=item.body,
        attachment=item.attachment.name if item.attachment else "",
        adapted_from=item,
        credit=credit_for(item),
        created_by=actor,
    )


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
