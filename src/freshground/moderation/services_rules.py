"""The rules moderators apply: the code of conduct, house rules and settings of each space, and who moderates the
whole site."""

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.content import Space
from freshground.core.exceptions import DomainError, PermissionDenied
from freshground.core.validation import checked_text
from freshground.moderation import permissions as perms
from freshground.moderation.models import (
    TEXT_MAX,
    CodeOfConduct,
    HouseRules,
    SiteModerator,
    SpaceSettings,
)
from freshground.moderation.spaces import space_fields, space_filter
from freshground.people.models import Person

# Rules


@transaction.atomic
def edit_code_of_conduct(*, actor: Any, body: str, note: str = "") -> CodeOfConduct:
    if not perms.can_edit_code_of_conduct(actor):
        raise PermissionDenied(_("Only site admins change the code of conduct."))
    text = checked_text(body, limit=TEXT_MAX * 5, field="body", required=True, message=_("Write the code of conduct."))
    current = CodeOfConduct.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0
    return CodeOfConduct.objects.create(
        version=current + 1,
        body=text,
        note=checked_text(note, limit=300, field="note", required=False),
        edited_by=actor,
    )


@transaction.atomic
def edit_house_rules(*, actor: Any, space: Space, body: str) -> HouseRules:
    if space is None or not perms.can_edit_house_rules(actor, space):
        raise PermissionDenied(_("Only the organisers or editors change these house rules."))
    text = checked_text(body, limit=TEXT_MAX, field="body", required=False)
    current = HouseRules.objects.filter(**space_filter(space)).aggregate(v=Max("version"))["v"] or 0
    return HouseRules.objects.create(**space_fields(space), version=current + 1, body=text, edited_by=actor)


@transaction.atomic
def update_space_settings(*, actor: Any, space: Space, first_posts_need_approval: bool) -> SpaceSettings:
    if space is None or not perms.can_edit_space_settings(actor, space):
        raise PermissionDenied(_("Only this space's moderators change its moderation settings."))
    row, _created = SpaceSettings.objects.get_or_create(**space_fields(space))
    row.first_posts_need_approval = first_posts_need_approval
    row.updated_at = timezone.now()
    row.save()
    return row


@transaction.atomic
def add_site_moderator(*, actor: Any, person: Person) -> SiteModerator:
    if not perms.can_manage_site_moderators(actor):
        raise PermissionDenied(_("Only site admins choose the site moderators."))
    if not person.is_active:
        raise DomainError(_("This account is not active."), field="person")
    row, _created = SiteModerator.objects.get_or_create(person=person, defaults={"added_by": actor})
    perms.forget_site_moderator(person)
    return row


@transaction.atomic
def remove_site_moderator(*, actor: Any, person: Person) -> None:
    if not perms.can_manage_site_moderators(actor):
        raise PermissionDenied(_("Only site admins choose the site moderators."))
    SiteModerator.objects.filter(person=person).delete()
    perms.forget_site_moderator(person)
