"""The moderation app's part of /api/v1/: flag, my flags, my record, the queue, acting, appeals, the audit log, mutes
and blocks. Same services and predicates as the pages; flaggers are never named to the flagged author."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from freshground.api import AUTH
from freshground.core.exceptions import DomainError, NotFound, PermissionDenied
from freshground.moderation import permissions as perms
from freshground.moderation import queries, services, services_appeals, services_relations
from freshground.moderation.models import Appeal, Flag, ModerationAction
from freshground.moderation.spaces import parse_space_key, space_key
from freshground.people.api import ERRORS, actor
from freshground.people.models import Person

router = Router(tags=["moderation"])

LOG_LIMIT = 100


class FlagIn(Schema):
    label: str = Field(
        max_length=100, description='A registered content label, e.g. "debate.comment" or "people.person"'
    )
    object_id: int
    category: str = Field(max_length=12)
    text: str = Field("", max_length=2000)


class FlagOut(Schema):
    id: int
    label: str
    object_id: int
    category: str
    text: str
    resolution: str
    created_at: datetime

    @staticmethod
    def resolve_label(obj: Flag) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class ActIn(Schema):
    action: str = Field(max_length=20)
    label: str | None = Field(None, max_length=100)
    object_id: int | None = None
    person_id: int | None = None
    space: str = Field("site", max_length=120, description='"site", "circle:<slug>" or "center:<slug>" (people only)')
    reason: str = Field("", max_length=2000)
    text: str = Field("", max_length=10000)
    days: int = 0
    seconds: int = 0


class ActionOut(Schema):
    id: int
    kind: str
    moderator: str | None
    space: str
    label: str | None
    object_id: int | None
    target_title: str
    target_person_id: int | None
    reason: str
    until: datetime | None
    seconds: int | None
    created_at: datetime

    @staticmethod
    def resolve_moderator(obj: ModerationAction) -> str | None:
        return obj.moderator.display_name if obj.moderator else None

    @staticmethod
    def resolve_space(obj: ModerationAction) -> str:
        return space_key(obj.circle or obj.center)

    @staticmethod
    def resolve_label(obj: ModerationAction) -> str | None:
        ct = obj.content_type
        return f"{ct.app_label}.{ct.model}" if ct else None


class MyActionOut(ActionOut):
    appealable: bool
    appeal_status: str | None

    @staticmethod
    def resolve_appealable(obj: ModerationAction) -> bool:
        return obj.is_appealable and not hasattr(obj, "appeal")

    @staticmethod
    def resolve_appeal_status(obj: ModerationAction) -> str | None:
        appeal = getattr(obj, "appeal", None)
        return appeal.status if appeal is not None else None


class ReasonOut(Schema):
    category: str
    text: str
    flagger_id: int | None  # only for moderators who may see it


class FlaggedOut(Schema):
    label: str
    object_id: int
    title: str
    url: str
    status: str
    flagger_count: int
    reasons: list[ReasonOut]


class PendingOut(Schema):
    label: str
    object_id: int
    title: str
    url: str
    space: str


class AppealOut(Schema):
    id: int
    action_id: int
    person_id: int
    text: str
    status: str
    decision_note: str
    created_at: datetime


class QueueOut(Schema):
    flagged: list[FlaggedOut]
    pending: list[PendingOut]
    appeals: list[AppealOut]


class AppealIn(Schema):
    text: str = Field(max_length=2000)


class DecisionIn(Schema):
    decision: Literal["uphold", "overturn"]
    note: str = Field(max_length=2000)


class PersonIn(Schema):
    person_id: int


class PersonRefOut(Schema):
    id: int
    display_name: str


def _space(key: str) -> Any:
    found, space = parse_space_key(key)
    if not found:
        raise NotFound(_("There is no such circle or center."), field="space")
    return space


def _other(person_id: int) -> Person:
    person = Person.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        raise NotFound(_("No such person."), field="person_id")
    return person


@router.post("/moderation/flags", auth=AUTH, response={201: FlagOut, **ERRORS})
def post_flag(request: HttpRequest, payload: FlagIn) -> Status[Flag]:
    """Flag content or a person for the moderators of its space and the site moderators."""
    created = services.flag(actor=actor(request), **payload.model_dump())
    return Status(201, Flag.objects.select_related("content_type").get(pk=created.pk))


@router.get("/moderation/flags/mine", auth=AUTH, response={200: list[FlagOut], **ERRORS})
def get_my_flags(request: HttpRequest) -> list[Flag]:
    return list(queries.my_flags(actor(request))[:LOG_LIMIT])


@router.get("/moderation/me", auth=AUTH, response={200: list[MyActionOut], **ERRORS})
def get_my_record(request: HttpRequest) -> list[ModerationAction]:
    """Moderation decisions about you (never who flagged you)."""
    return queries.my_record(actor(request))


@router.get("/moderation/queue", auth=AUTH, response={200: QueueOut, **ERRORS})
def get_queue(request: HttpRequest, space: str = Query("site")) -> dict[str, Any]:  # type: ignore[type-arg]
    """A space's queue ("circle:<slug>", "center:<slug>"), or every space's for site moderators ("site")."""
    person = actor(request)
    where = _space(space)
    if not perms.can_see_queue(person, where):
        raise PermissionDenied(_("Only this space's moderators see its queue."))
    everywhere = where is None
    flagged = [
        {
            "label": item.label,
            "object_id": item.object_id,
            "title": item.title,
            "url": item.url,
            "status": item.status,
            "flagger_count": item.flagger_count,
            "reasons": [
                {"category": category, "text": text, "flagger_id": flagger.pk if flagger else None}
                for category, text, flagger in item.reasons
            ],
        }
        for item in queries.flagged_items(person, where, everywhere=everywhere)
    ]
    pending = [
        {"label": i.label, "object_id": i.obj.pk, "title": i.title, "url": i.url, "space": space_key(i.space)}
        for i in queries.pending_items(person, where, everywhere=everywhere)
    ]
    return {
        "flagged": flagged,
        "pending": pending,
        "appeals": queries.pending_appeals(person, where, everywhere=everywhere),
    }


@router.post("/moderation/actions", auth=AUTH, response={201: ActionOut, **ERRORS})
def post_action(request: HttpRequest, payload: ActIn) -> Status[ModerationAction]:
    """Act: on content (label + object_id: hide, restore, edit, dismiss, approve, reject), on its thread (lock,
    unlock, slow_mode with seconds) or on a person (person_id + space: warn, suspend with days, ban, site_suspend,
    lift)."""
    person = actor(request)
    if payload.action in services.PERSON_ACTIONS:
        if payload.person_id is None:
            raise DomainError(_("Say which person."), field="person_id")
        target = Person.objects.filter(pk=payload.person_id).first()
        if target is None:
            raise NotFound(_("No such person."), field="person_id")
        done = services.act_on_person(
            actor=person,
            person=target,
            space=_space(payload.space),
            action=payload.action,
            reason=payload.reason,
            days=payload.days,
        )
    else:
        if payload.label is None or payload.object_id is None:
            raise DomainError(_("Say which content (label and object_id)."), field="label")
        if payload.action in services.THREAD_ACTIONS:
            done = services.act_on_thread(
                actor=person,
                label=payload.label,
                object_id=payload.object_id,
                action=payload.action,
                seconds=payload.seconds,
                reason=payload.reason,
            )
        else:
            done = services.act_on_content(
                actor=person,
                label=payload.label,
                object_id=payload.object_id,
                action=payload.action,
                reason=payload.reason,
                text=payload.text,
            )
    return Status(201, queries.audit_log(None, everywhere=True).get(pk=done.pk))


@router.post("/moderation/actions/{int:action_id}/appeal", auth=AUTH, response={201: AppealOut, **ERRORS})
def post_appeal(request: HttpRequest, action_id: int, payload: AppealIn) -> Status[Appeal]:
    """Appeal a decision about you, once."""
    person = actor(request)
    action = queries.action_about(person, action_id)
    if action is None:
        raise NotFound(_("There is no such decision about you."))
    return Status(201, services_appeals.appeal(actor=person, action=action, text=payload.text))


@router.post("/moderation/appeals/{int:appeal_id}/decision", auth=AUTH, response={200: AppealOut, **ERRORS})
def post_decision(request: HttpRequest, appeal_id: int, payload: DecisionIn) -> Appeal:
    person = actor(request)
    found = queries.appeal_by_pk(appeal_id)
    if found is None or not perms.is_space_moderator(person, found.action.circle or found.action.center):
        raise NotFound(_("There is no such appeal."))
    services_appeals.decide_appeal(
        actor=person, appeal=found, overturn=payload.decision == "overturn", note=payload.note
    )
    return Appeal.objects.get(pk=found.pk)


@router.get("/moderation/log", auth=AUTH, response={200: list[ActionOut], **ERRORS})
def get_log(request: HttpRequest, space: str = Query("site")) -> list[ModerationAction]:  # type: ignore[type-arg]
    """A space's audit log, newest first (its moderators and site moderators); "site" is every space's log."""
    person = actor(request)
    where = _space(space)
    if not perms.can_see_audit_log(person, where):
        raise PermissionDenied(_("Only this space's moderators see its moderation log."))
    return list(queries.audit_log(where, everywhere=where is None)[:LOG_LIMIT])


@router.get("/moderation/mutes", auth=AUTH, response={200: list[PersonRefOut], **ERRORS})
def get_mutes(request: HttpRequest) -> list[Person]:
    return [row.muted for row in queries.mutes_of(actor(request))]


@router.post("/moderation/mutes", auth=AUTH, response={201: PersonRefOut, **ERRORS})
def post_mute(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    other = _other(payload.person_id)
    services_relations.mute(actor=actor(request), other=other)
    return Status(201, other)


@router.delete("/moderation/mutes/{int:person_id}", auth=AUTH, response={204: None, **ERRORS})
def delete_mute(request: HttpRequest, person_id: int) -> Status[None]:
    services_relations.unmute(actor=actor(request), other=_other(person_id))
    return Status(204, None)


@router.get("/moderation/blocks", auth=AUTH, response={200: list[PersonRefOut], **ERRORS})
def get_blocks(request: HttpRequest) -> list[Person]:
    return [row.blocked for row in queries.blocks_of(actor(request))]


@router.post("/moderation/blocks", auth=AUTH, response={201: PersonRefOut, **ERRORS})
def post_block(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    other = _other(payload.person_id)
    services_relations.block(actor=actor(request), other=other)
    return Status(201, other)


@router.delete("/moderation/blocks/{int:person_id}", auth=AUTH, response={204: None, **ERRORS})
def delete_block(request: HttpRequest, person_id: int) -> Status[None]:
    services_relations.unblock(actor=actor(request), other=_other(person_id))
    return Status(204, None)
