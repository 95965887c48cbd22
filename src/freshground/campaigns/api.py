"""The campaigns part of /api/v1/: campaigns, sponsors, supporters, the plan, progress reports, petitions and kits.

Every write goes through campaigns.services; every "who may" question to campaigns.permissions. Lists are paginated
by page number and cost a fixed number of queries whatever the page size. Signing a petition needs no account.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from freshground.api import AUTH, OPTIONAL_AUTH
from freshground.campaigns import permissions as perms
from freshground.campaigns import (
    queries,
    services,
    services_actions,
    services_kits,
    services_petitions,
    services_progress,
)
from freshground.campaigns.models import (
    Action,
    Campaign,
    CampaignStatus,
    KitItem,
    Petition,
    ProgressReport,
    Sponsor,
    Supporter,
    Task,
)
from freshground.campaigns.schemas import (
    ActionIn,
    ActionOut,
    CampaignDetailOut,
    CampaignIn,
    CampaignPatch,
    CampaignSummaryOut,
    DecisionIn,
    GoalIn,
    GoalOut,
    GoalProgressIn,
    KitCopyIn,
    KitItemIn,
    KitItemOut,
    PetitionIn,
    PetitionOut,
    ReportIn,
    ReportOut,
    SignedOut,
    SignerOut,
    SignIn,
    SimilarIn,
    SimilarOut,
    SponsorOut,
    SponsorRequestIn,
    StatusIn,
    SupporterOut,
    TaskDoneIn,
    TaskIn,
    TaskOut,
)
from freshground.core.exceptions import NotFound, PermissionDenied
from freshground.events.models import Event
from freshground.network.models import Center, Circle
from freshground.people.api import ERRORS, actor, viewer
from freshground.people.models import Person

router = Router(tags=["campaigns"])


class BoardQuery(Schema):
    topic: str = ""
    scope: str = ""
    status: str = ""
    place: str = ""
    q: str = ""
    lat: float | None = None
    lon: float | None = None
    km: float | None = None


def _campaign(request: HttpRequest, slug: str) -> Campaign:
    campaign = queries.campaign_by_slug(slug[:80])
    if campaign is None or not perms.can_view_campaign(viewer(request), campaign):
        raise NotFound(_("No campaign is called “%(slug)s”.") % {"slug": slug[:80]})
    return campaign


def _party(key: str, *, field: str) -> Circle | Center:
    kind, _sep, slug = key.partition(":")
    party: Circle | Center | None
    party = Circle.objects.filter(slug=slug).first() if kind == "circle" else Center.objects.filter(slug=slug).first()
    if party is None:
        raise NotFound(_("No %(kind)s is called “%(slug)s”.") % {"kind": kind, "slug": slug[:80]}, field=field)
    return party


def _detail(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    who = viewer(request)
    queries.prime_permissions(who, [campaign])
    can_manage = perms.can_manage_campaign(who, campaign)
    return {
        **CampaignSummaryOut.model_validate(campaign).model_dump(),
        "description": campaign.description,
        "demands": campaign.demands,
        "tags": list(campaign.tags.all()),
        "goals": list(campaign.goals.all()),
        "sponsors": queries.active_sponsors(campaign),
        "pending_sponsors": queries.pending_sponsors(campaign) if can_manage else None,
        "you": {
            "can_manage": can_manage,
            "is_initiator": perms.is_initiator(who, campaign),
            "is_supporter": perms.is_supporter(who, campaign),
            "can_support": perms.can_support(who, campaign),
        },
    }


# Campaigns


@router.get("/campaigns", auth=OPTIONAL_AUTH, response={200: list[CampaignSummaryOut], **ERRORS})
@paginate(PageNumberPagination)
def list_campaigns(request: HttpRequest, filters: Query[BoardQuery]) -> QuerySet[Campaign]:
    """The campaign board: filter by topic (slug), scope, status, place, words (q), or lat/lon within km."""
    from freshground.campaigns.views import board_filters

    board, _echo = board_filters(filters.model_dump(exclude_none=True))
    return queries.board_queryset(board)


@router.post("/campaigns/similar", auth=OPTIONAL_AUTH, response={200: list[SimilarOut], **ERRORS})
def similar(request: HttpRequest, payload: SimilarIn) -> list[dict[str, Any]]:
    """Campaigns like the one you are about to start (text, topic, place), best first: join one instead?"""
    topic = services.resolve_topic(payload.topic) if payload.topic else None
    found = queries.similar_campaigns(
        title=payload.title,
        description=payload.description,
        topic=topic,
        latitude=payload.latitude,
        longitude=payload.longitude,
        place_name=payload.place_name,
    )
    return [
        {"campaign": c, "score": m.score, "same_topic": m.same_topic, "distance_km": m.distance_km} for c, m in found
    ]


@router.post("/campaigns", auth=AUTH, response={201: CampaignDetailOut, **ERRORS})
def create_campaign(request: HttpRequest, payload: CampaignIn) -> Status[dict[str, Any]]:
    """Start a campaign in the name of a circle you organise or a center you edit (sponsor: circle:<slug>)."""
    data = payload.model_dump()
    party = _party(data.pop("sponsor"), field="sponsor")
    draft = data.pop("draft")
    campaign = services.create_campaign(
        actor=actor(request),
        sponsor=party,
        status=CampaignStatus.DRAFT if draft else CampaignStatus.ACTIVE,
        **data,
    )
    return Status(201, _detail(request, _campaign(request, campaign.slug)))


@router.get("/campaigns/{slug}", auth=OPTIONAL_AUTH, response={200: CampaignDetailOut, **ERRORS})
def get_campaign(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _detail(request, _campaign(request, slug))


@router.patch("/campaigns/{slug}", auth=AUTH, response={200: CampaignDetailOut, **ERRORS})
def update_campaign(request: HttpRequest, slug: str, payload: CampaignPatch) -> dict[str, Any]:
    campaign = _campaign(request, slug)
    services.update_campaign(actor=actor(request), campaign=campaign, **payload.model_dump(exclude_unset=True))
    return _detail(request, _campaign(request, slug))


@router.post("/campaigns/{slug}/status", auth=AUTH, response={200: CampaignDetailOut, **ERRORS})
def set_status(request: HttpRequest, slug: str, payload: StatusIn) -> dict[str, Any]:
    campaign = _campaign(request, slug)
    services.set_status(actor=actor(request), campaign=campaign, status=payload.status)
    return _detail(request, _campaign(request, slug))


@router.post("/campaigns/{slug}/goals", auth=AUTH, response={201: GoalOut, **ERRORS})
def add_goal(request: HttpRequest, slug: str, payload: GoalIn) -> Status[Any]:
    goal = services.add_goal(actor=actor(request), campaign=_campaign(request, slug), **payload.model_dump())
    return Status(201, goal)


@router.post("/campaigns/{slug}/goals/{goal_id}", auth=AUTH, response={200: GoalOut, **ERRORS})
def update_goal(request: HttpRequest, slug: str, goal_id: int, payload: GoalProgressIn) -> Any:
    campaign = _campaign(request, slug)
    goal = campaign.goals.filter(pk=goal_id).first()
    if goal is None:
        raise NotFound(_("No such goal."))
    goal.campaign = campaign
    return services.update_goal_progress(actor=actor(request), goal=goal, current=payload.current)


# Sponsors


def _sponsor(campaign: Campaign, sponsor_id: int) -> Sponsor:
    for sponsor in queries.all_sponsors(campaign):
        if sponsor.pk == sponsor_id:
            sponsor.campaign = campaign
            return sponsor
    raise NotFound(_("No such sponsor."))


@router.get("/campaigns/{slug}/sponsors", auth=OPTIONAL_AUTH, response={200: list[SponsorOut], **ERRORS})
def list_sponsors(request: HttpRequest, slug: str) -> list[Sponsor]:
    """The active sponsors, as equals (and, for the campaign's managers, those asking to join)."""
    campaign = _campaign(request, slug)
    rows = queries.active_sponsors(campaign)
    if perms.can_manage_campaign(viewer(request), campaign):
        rows = rows + queries.pending_sponsors(campaign)
    return rows


@router.post("/campaigns/{slug}/sponsors", auth=AUTH, response={201: SponsorOut, **ERRORS})
def request_sponsorship(request: HttpRequest, slug: str, payload: SponsorRequestIn) -> Status[Sponsor]:
    """Ask to co-sponsor in the name of a circle you organise or a center you edit (party: circle:<slug>)."""
    campaign = _campaign(request, slug)
    sponsor = services.request_sponsorship(
        actor=actor(request), campaign=campaign, party=_party(payload.party, field="party"), message=payload.message
    )
    return Status(201, sponsor)


@router.post("/campaigns/{slug}/sponsors/{sponsor_id}/decision", auth=AUTH, response={200: SponsorOut, **ERRORS})
def decide_sponsorship(request: HttpRequest, slug: str, sponsor_id: int, payload: DecisionIn) -> Sponsor:
    """Accept or decline a request (the initiating sponsors' organisers and editors)."""
    campaign = _campaign(request, slug)
    return services.decide_sponsorship(
        actor=actor(request), sponsor=_sponsor(campaign, sponsor_id), accept=payload.accept
    )


@router.post("/campaigns/{slug}/sponsors/{sponsor_id}/withdraw", auth=AUTH, response={200: SponsorOut, **ERRORS})
def withdraw_sponsor(request: HttpRequest, slug: str, sponsor_id: int) -> Sponsor:
    campaign = _campaign(request, slug)
    return services.withdraw_sponsor(actor=actor(request), sponsor=_sponsor(campaign, sponsor_id))


# Supporters


@router.get("/campaigns/{slug}/supporters", auth=AUTH, response={200: list[SupporterOut], **ERRORS})
@paginate(PageNumberPagination)
def list_supporters(request: HttpRequest, slug: str) -> QuerySet[Supporter]:
    campaign = _campaign(request, slug)
    if not perms.can_see_supporters(viewer(request), campaign):
        raise PermissionDenied(_("The list of supporters is for the campaign's sponsors."))
    return queries.supporters_of(campaign)


@router.post("/campaigns/{slug}/support", auth=AUTH, response={201: SupporterOut, **ERRORS})
def support(request: HttpRequest, slug: str) -> Status[Supporter]:
    return Status(201, services.support(actor=actor(request), campaign=_campaign(request, slug)))


@router.delete("/campaigns/{slug}/support", auth=AUTH, response={204: None, **ERRORS})
def stop_supporting(request: HttpRequest, slug: str) -> Status[None]:
    services.stop_supporting(actor=actor(request), campaign=_campaign(request, slug))
    return Status(204, None)


# The plan


@router.get("/campaigns/{slug}/actions", auth=OPTIONAL_AUTH, response={200: list[ActionOut], **ERRORS})
def list_actions(request: HttpRequest, slug: str) -> list[Action]:
    return queries.plan(_campaign(request, slug), with_tasks=False).actions


@router.post("/campaigns/{slug}/actions", auth=AUTH, response={201: ActionOut, **ERRORS})
def add_action(request: HttpRequest, slug: str, payload: ActionIn) -> Status[Action]:
    campaign = _campaign(request, slug)
    data = payload.model_dump()
    owner_id, event_slug = data.pop("owner_id"), data.pop("event")
    owner = Person.objects.filter(pk=owner_id).first() if owner_id else None
    if owner_id and owner is None:
        raise NotFound(_("No such person."), field="owner_id")
    event = Event.objects.filter(slug=event_slug).first() if event_slug else None
    if event_slug and event is None:
        raise NotFound(_("No event has that short name."), field="event")
    action = services_actions.add_action(actor=actor(request), campaign=campaign, owner=owner, event=event, **data)
    return Status(201, action)


@router.get("/campaigns/{slug}/tasks", auth=AUTH, response={200: list[TaskOut], **ERRORS})
def list_tasks(request: HttpRequest, slug: str) -> list[Task]:
    campaign = _campaign(request, slug)
    if not perms.can_see_tasks(viewer(request), campaign):
        raise PermissionDenied(_("Tasks are for the campaign's supporters and sponsors."))
    return queries.plan(campaign, with_tasks=True).tasks


@router.post("/campaigns/{slug}/tasks", auth=AUTH, response={201: TaskOut, **ERRORS})
def add_task(request: HttpRequest, slug: str, payload: TaskIn) -> Status[Task]:
    campaign = _campaign(request, slug)
    people = list(Person.objects.filter(pk__in=payload.assignee_ids))
    if len(people) != len(set(payload.assignee_ids)):
        raise NotFound(_("No such person."), field="assignee_ids")
    action = campaign.actions.filter(pk=payload.action_id).first() if payload.action_id else None
    if payload.action_id and action is None:
        raise NotFound(_("No such action in this campaign."), field="action_id")
    task = services_actions.add_task(
        actor=actor(request),
        campaign=campaign,
        title=payload.title,
        notes=payload.notes,
        due_on=payload.due_on,
        assignees=people,
        action=action,
    )
    return Status(201, task)


@router.post("/campaigns/{slug}/tasks/{task_id}/done", auth=AUTH, response={200: TaskOut, **ERRORS})
def task_done(request: HttpRequest, slug: str, task_id: int, payload: TaskDoneIn) -> Task:
    campaign = _campaign(request, slug)
    task = campaign.tasks.prefetch_related("assignees").filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("No such task."))
    task.campaign = campaign
    return services_actions.set_task_done(actor=actor(request), task=task, done=payload.done)


# Progress reports


@router.get("/progress", auth=OPTIONAL_AUTH, response={200: list[ReportOut], **ERRORS})
@paginate(PageNumberPagination)
def progress_feed(request: HttpRequest, topic: str = "") -> QuerySet[ProgressReport]:
    """What everyone is working on: every campaign's progress reports, newest first."""
    return queries.progress_reports(topic=topic[:80])


@router.get("/campaigns/{slug}/reports", auth=OPTIONAL_AUTH, response={200: list[ReportOut], **ERRORS})
@paginate(PageNumberPagination)
def list_reports(request: HttpRequest, slug: str) -> QuerySet[ProgressReport]:
    campaign = _campaign(request, slug)
    return queries.reports_of(campaign).select_related("campaign")


@router.post("/campaigns/{slug}/reports", auth=AUTH, response={201: ReportOut, **ERRORS})
def post_report(request: HttpRequest, slug: str, payload: ReportIn) -> Status[ProgressReport]:
    campaign = _campaign(request, slug)
    sponsor = _sponsor(campaign, payload.sponsor_id)
    report = services_progress.post_progress(
        actor=actor(request), campaign=campaign, sponsor=sponsor, body=payload.body
    )
    return Status(201, report)


# Petitions


def _petition(request: HttpRequest, slug: str, petition_id: int) -> Petition:
    petition = queries.petition_by_pk(_campaign(request, slug), petition_id)
    if petition is None:
        raise NotFound(_("No such petition."))
    return petition


@router.get("/campaigns/{slug}/petitions", auth=OPTIONAL_AUTH, response={200: list[PetitionOut], **ERRORS})
def list_petitions(request: HttpRequest, slug: str) -> list[Petition]:
    return list(_campaign(request, slug).petitions.order_by("created_at", "id"))


@router.post("/campaigns/{slug}/petitions", auth=AUTH, response={201: PetitionOut, **ERRORS})
def create_petition(request: HttpRequest, slug: str, payload: PetitionIn) -> Status[Petition]:
    campaign = _campaign(request, slug)
    petition = services_petitions.create_petition(actor=actor(request), campaign=campaign, **payload.model_dump())
    return Status(201, petition)


@router.get("/campaigns/{slug}/petitions/{petition_id}", auth=OPTIONAL_AUTH, response={200: PetitionOut, **ERRORS})
def get_petition(request: HttpRequest, slug: str, petition_id: int) -> Petition:
    return _petition(request, slug, petition_id)


@router.get(
    "/campaigns/{slug}/petitions/{petition_id}/signers", auth=OPTIONAL_AUTH, response={200: list[SignerOut], **ERRORS}
)
def list_signers(request: HttpRequest, slug: str, petition_id: int) -> list[Any]:
    """The public list: confirmed signers who agreed to show their name (name and place only)."""
    return queries.public_signers(_petition(request, slug, petition_id))


@router.post(
    "/campaigns/{slug}/petitions/{petition_id}/sign",
    auth=OPTIONAL_AUTH,
    response={202: SignedOut, 429: SignedOut, **ERRORS},
)
def sign(request: HttpRequest, slug: str, petition_id: int, payload: SignIn) -> Status[dict[str, str]]:
    """Sign (no account needed). A link to confirm is e-mailed; the signature counts once confirmed, once per address.
    The answer is the same whether or not the address had signed."""
    from freshground.campaigns.views_petitions import sign_allowed

    petition = _petition(request, slug, petition_id)
    services_petitions.normalise_email(payload.email)
    if not sign_allowed(request, payload.email):
        return Status(429, {"detail": _("Too many signatures from here in a short time. Try again in an hour.")})
    services_petitions.sign_petition(actor=viewer(request), petition=petition, **payload.model_dump())
    return Status(202, {"detail": _("Check your e-mail: follow the link in it to confirm your signature.")})


@router.get("/campaigns/{slug}/petitions/{petition_id}/signatures.csv", auth=AUTH, response={200: None, **ERRORS})
def export_signatures(request: HttpRequest, slug: str, petition_id: int) -> HttpResponse:
    """Every signature with its e-mail address, as CSV: the campaign's managers only."""
    petition = _petition(request, slug, petition_id)
    if not perms.can_export_signatures(viewer(request), petition):
        raise PermissionDenied(_("Only the campaign's sponsors can download the signatures."))
    response = HttpResponse(queries.signatures_csv(petition), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-petition-{petition.pk}.csv"'
    response["Cache-Control"] = "no-store"
    return response


# Kits


def _kit_item(request: HttpRequest, slug: str, item_id: int) -> KitItem:
    item = queries.kit_item_by_pk(_campaign(request, slug), item_id)
    if item is None:
        raise NotFound(_("No such material."))
    return item


@router.get("/campaigns/{slug}/kit", auth=OPTIONAL_AUTH, response={200: list[KitItemOut], **ERRORS})
def list_kit(request: HttpRequest, slug: str) -> list[KitItem]:
    campaign = _campaign(request, slug)
    return list(campaign.kit_items.select_related("circle", "campaign").order_by("circle_id", "kind", "title", "id"))


@router.post("/campaigns/{slug}/kit", auth=AUTH, response={201: KitItemOut, **ERRORS})
def add_kit_item(request: HttpRequest, slug: str, payload: KitItemIn) -> Status[KitItem]:
    campaign = _campaign(request, slug)
    return Status(201, services_kits.add_kit_item(actor=actor(request), campaign=campaign, **payload.model_dump()))


@router.post("/campaigns/{slug}/kit/{item_id}/copy", auth=AUTH, response={201: KitItemOut, **ERRORS})
def copy_kit_item(request: HttpRequest, slug: str, item_id: int, payload: KitCopyIn) -> Status[KitItem]:
    """Copy into our circle: a circle-owned copy to adapt, crediting the original."""
    item = _kit_item(request, slug, item_id)
    circle = Circle.objects.filter(slug=payload.circle).first()
    if circle is None:
        raise NotFound(_("No circle is called “%(slug)s”.") % {"slug": payload.circle}, field="circle")
    return Status(201, services_kits.copy_kit_item(actor=actor(request), item=item, circle=circle))


@router.post("/campaigns/{slug}/kit/{item_id}/attachment", auth=AUTH, response={200: KitItemOut, **ERRORS})
def upload_kit_attachment(request: HttpRequest, slug: str, item_id: int, file: File[UploadedFile]) -> KitItem:
    """Attach a file to a kit item (multipart/form-data, field "file"), replacing its file: the same types and size
    cap as the web form (at most 10 MB; pdf, png, jpg, odt, docx, txt, svg or zip)."""
    item = _kit_item(request, slug, item_id)
    return services_kits.set_kit_attachment(actor=actor(request), item=item, attachment=file)
