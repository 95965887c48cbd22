"""Who may do what with campaigns. Pure predicates: the only home of these rules.

Roles: anonymous visitor, signed-in outsider, supporter, member of a sponsor circle, organiser of a sponsor circle,
editor of a sponsor center, organiser/editor of a circle/center that does not sponsor, site admin.

- All active sponsors are equals: the organisers of every active sponsor circle and the editors of every active
  sponsor center manage the campaign (edit it, plan, goals, petitions, kits, signatures export).
- Only the *initiating* sponsors (and site admins) accept or decline a request to co-sponsor.
- A sponsor withdraws at any time (its own organisers/editors). A person supports and stops supporting at will.
- Drafts are seen by their managers only; every other campaign page is public.
"""

from __future__ import annotations

from typing import Any

from freshground.campaigns.models import (
    Campaign,
    CampaignStatus,
    KitItem,
    Petition,
    ProgressReport,
    Sponsor,
    SponsorStatus,
    Task,
)
from freshground.core.content import ContentStatus
from freshground.core.permissions import is_person, is_site_admin
from freshground.network import permissions as network_perms
from freshground.network.models import Center, Circle, Role

_MANAGER_CACHE = "_fg_campaign_managers"
_SUPPORTER_CACHE = "_fg_campaign_supports"


def _sponsors(campaign: Campaign) -> list[Sponsor]:
    # Uses the prefetched rows when the query layer loaded them (campaigns.queries), one query otherwise.
    from freshground.campaigns.queries import all_sponsors

    return all_sponsors(campaign)


def _organises(person: Any, circle_id: int) -> bool:
    membership = network_perms._membership_by_circle_id(person, circle_id)
    return membership is not None and membership.role == Role.ORGANISER


def speaks_for(person: Any, sponsor: Sponsor) -> bool:
    """May person act in this sponsor's name: an organiser of its circle or an editor of its center."""
    if sponsor.circle_id is not None:
        return _organises(person, sponsor.circle_id)
    if sponsor.center_id is not None:
        return network_perms._edits_center_id(person, sponsor.center_id)
    return False


def speaks_for_party(person: Any, party: Circle | Center) -> bool:
    if isinstance(party, Circle):
        return network_perms.is_organiser(person, party)
    return network_perms.is_center_editor(person, party)


def can_manage_campaign(person: Any, campaign: Campaign) -> bool:
    """Edit, plan, set goals, run petitions and kits, export signatures: the organisers of any active sponsor circle,
    the editors of any active sponsor center, and site admins."""
    if not is_person(person):
        return False
    if is_site_admin(person):
        return True
    cache: dict[int, bool] = vars(person).setdefault(_MANAGER_CACHE, {})
    if campaign.pk not in cache:
        cache[campaign.pk] = any(
            s.status == SponsorStatus.ACTIVE and speaks_for(person, s) for s in _sponsors(campaign)
        )
    return cache[campaign.pk]


def forget(person: Any) -> None:
    """Drop the per-request caches after a change (services call this)."""
    if is_person(person):
        vars(person).pop(_MANAGER_CACHE, None)
        vars(person).pop(_SUPPORTER_CACHE, None)
        network_perms.forget_memberships(person)


def is_initiator(person: Any, campaign: Campaign) -> bool:
    return is_person(person) and any(
        s.status == SponsorStatus.ACTIVE and s.initiator and speaks_for(person, s) for s in _sponsors(campaign)
    )


def is_sponsor_member(person: Any, campaign: Campaign) -> bool:
    """A member (any role) of an active sponsor circle, or an editor of an active sponsor center."""
    if not is_person(person):
        return False
    for s in _sponsors(campaign):
        if s.status != SponsorStatus.ACTIVE:
            continue
        if s.circle_id is not None and network_perms._membership_by_circle_id(person, s.circle_id) is not None:
            return True
        if s.center_id is not None and network_perms._edits_center_id(person, s.center_id):
            return True
    return False


def is_supporter(person: Any, campaign: Campaign) -> bool:
    if not is_person(person):
        return False
    cache: dict[int, bool] = vars(person).setdefault(_SUPPORTER_CACHE, {})
    if campaign.pk not in cache:
        cache[campaign.pk] = campaign.supporters.filter(person=person).exists()
    return cache[campaign.pk]


def remember_supports(person: Any, supported: dict[int, bool]) -> None:
    if is_person(person):
        vars(person).setdefault(_SUPPORTER_CACHE, {}).update(supported)


def is_participant(person: Any, campaign: Campaign) -> bool:
    """Supporters, members of sponsor circles and managers: those who see the task list and can be assigned."""
    return (
        is_supporter(person, campaign) or is_sponsor_member(person, campaign) or can_manage_campaign(person, campaign)
    )


# The campaign


def can_create_campaign(person: Any) -> bool:
    """Start a campaign in the name of a circle one organises or a center one edits (or as a site admin)."""
    if not is_person(person):
        return False
    if is_site_admin(person):
        return True
    from freshground.network.models import CenterEditor, Membership

    return (
        Membership.objects.filter(person=person, role=Role.ORGANISER).exists()
        or CenterEditor.objects.filter(person=person).exists()
    )


def can_view_campaign(person: Any, campaign: Campaign) -> bool:
    if campaign.status != CampaignStatus.DRAFT:
        return True
    return can_manage_campaign(person, campaign)


def can_edit_campaign(person: Any, campaign: Campaign) -> bool:
    return can_manage_campaign(person, campaign)


def can_change_status(person: Any, campaign: Campaign) -> bool:
    """Declare the campaign won, lost or ended (or publish a draft)."""
    return can_manage_campaign(person, campaign)


# Sponsorship


def can_request_sponsorship(person: Any, campaign: Campaign, party: Circle | Center) -> bool:
    """Ask for party (a circle one organises, a center one edits) to co-sponsor an open campaign it is not in."""
    if not is_person(person) or not campaign.is_open:
        return False
    if not (speaks_for_party(person, party) or is_site_admin(person)):
        return False
    field = "circle_id" if isinstance(party, Circle) else "center_id"
    return not any(
        getattr(s, field) == party.pk and s.status in {SponsorStatus.PENDING, SponsorStatus.ACTIVE}
        for s in _sponsors(campaign)
    )


def can_decide_sponsorship(person: Any, sponsor: Sponsor) -> bool:
    """Accept or decline a pending request: the initiating sponsors' organisers/editors and site admins."""
    if sponsor.status != SponsorStatus.PENDING:
        return False
    return is_site_admin(person) or is_initiator(person, sponsor.campaign)


def can_withdraw_sponsor(person: Any, sponsor: Sponsor) -> bool:
    """A sponsor withdraws (or takes back its request) at any time: its own organisers/editors, or site admins."""
    if sponsor.status not in {SponsorStatus.PENDING, SponsorStatus.ACTIVE}:
        return False
    return is_site_admin(person) or speaks_for(person, sponsor)


# Supporters


def can_support(person: Any, campaign: Campaign) -> bool:
    return is_person(person) and campaign.is_open and not is_supporter(person, campaign)


def can_stop_supporting(person: Any, campaign: Campaign) -> bool:
    return is_supporter(person, campaign)


def can_see_supporters(person: Any, campaign: Campaign) -> bool:
    """Who supports is for the people running the campaign; the public sees the count."""
    return can_manage_campaign(person, campaign) or is_sponsor_member(person, campaign)


# Planning


def can_plan(person: Any, campaign: Campaign) -> bool:
    """Add and change actions, tasks and goals."""
    return can_manage_campaign(person, campaign)


def can_see_tasks(person: Any, campaign: Campaign) -> bool:
    return is_participant(person, campaign) or is_site_admin(person)


def can_complete_task(person: Any, task: Task) -> bool:
    """Tick a task done (or undone): its assignees and the campaign's managers."""
    if not is_person(person):
        return False
    if can_manage_campaign(person, task.campaign):
        return True
    return any(a.pk == person.pk for a in task.assignees.all())


# Progress reports


def can_report_progress(person: Any, campaign: Campaign) -> bool:
    """Post "what we did this week" in the name of an active sponsor: its organisers, members or editors."""
    return is_sponsor_member(person, campaign) or is_site_admin(person)


def can_report_for(person: Any, campaign: Campaign, sponsor: Sponsor) -> bool:
    if sponsor.campaign_id != campaign.pk or sponsor.status != SponsorStatus.ACTIVE:
        return False
    if is_site_admin(person):
        return True
    if sponsor.circle_id is not None:
        return network_perms._membership_by_circle_id(person, sponsor.circle_id) is not None
    return sponsor.center_id is not None and network_perms._edits_center_id(person, sponsor.center_id)


def can_view_report(person: Any, report: ProgressReport) -> bool:
    if not can_view_campaign(person, report.campaign):
        return False
    if report.status == ContentStatus.PUBLISHED:
        return True
    return is_site_admin(person) or (is_person(person) and report.author_id == person.pk)


def can_delete_report(person: Any, report: ProgressReport) -> bool:
    if not is_person(person):
        return False
    return report.author_id == person.pk or can_manage_campaign(person, report.campaign)


# Petitions


def can_manage_petition(person: Any, petition: Petition) -> bool:
    return can_manage_campaign(person, petition.campaign)


def can_sign(petition: Petition) -> bool:
    """Anyone may sign an open petition of a public, open campaign (signing asks no account)."""
    return petition.is_open and petition.campaign.status == CampaignStatus.ACTIVE


def can_export_signatures(person: Any, petition: Petition) -> bool:
    """The CSV with names, places and e-mail addresses: the campaign's managers only."""
    return can_manage_campaign(person, petition.campaign)


# Kits


def can_manage_kit(person: Any, campaign: Campaign) -> bool:
    return can_manage_campaign(person, campaign)


def can_edit_kit_item(person: Any, item: KitItem) -> bool:
    """The campaign's own items: its managers. A circle's adapted copy: that circle's organisers."""
    if item.circle_id is not None:
        return _organises(person, item.circle_id) or is_site_admin(person)
    return can_manage_campaign(person, item.campaign)


def can_copy_kit_item(person: Any, item: KitItem, circle: Circle) -> bool:
    """Copy into our circle: the organisers of a circle that actively sponsors the campaign."""
    if not is_person(person):
        return False
    if not (network_perms.is_organiser(person, circle) or is_site_admin(person)):
        return False
    return any(s.status == SponsorStatus.ACTIVE and s.circle_id == circle.pk for s in _sponsors(item.campaign))
