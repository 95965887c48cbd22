"""Who may moderate what. Pure predicates: the only home of these rules.

Roles: a site moderator (a site admin, or someone on the site moderators list) moderates everywhere; a circle's
organisers moderate that circle; a center's editors moderate that center. Nobody moderates their own content or
themselves, and only site moderators suspend someone from the whole site.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from freshground.core.permissions import is_person, is_site_admin
from freshground.network import permissions as network_perms
from freshground.network.models import Center, Circle

if TYPE_CHECKING:
    from freshground.core.content import Space
    from freshground.moderation.models import Appeal, ModerationAction

_SITE_MODERATOR_CACHE = "_fg_site_moderator"


def is_site_moderator(person: Any) -> bool:
    if not is_person(person):
        return False
    if is_site_admin(person):
        return True
    cached = vars(person).get(_SITE_MODERATOR_CACHE)
    if cached is None:
        from freshground.moderation.models import SiteModerator

        cached = SiteModerator.objects.filter(person=person).exists()
        vars(person)[_SITE_MODERATOR_CACHE] = cached
    return bool(cached)


def forget_site_moderator(person: Any) -> None:
    if is_person(person):
        vars(person).pop(_SITE_MODERATOR_CACHE, None)


def moderates_locally(person: Any, space: Space) -> bool:
    """An organiser of the circle or an editor of the center (not counting site moderators)."""
    if isinstance(space, Circle):
        return network_perms.is_organiser(person, space)
    if isinstance(space, Center):
        return network_perms.is_center_editor(person, space)
    return False


def is_space_moderator(person: Any, space: Space) -> bool:
    """May `person` moderate content in `space` (None: the site as a whole)?"""
    return is_site_moderator(person) or moderates_locally(person, space)


def can_moderate_anywhere(person: Any) -> bool:
    """Has some moderation queue to look at (a link in the menu)."""
    if is_site_moderator(person):
        return True
    if not is_person(person):
        return False
    from freshground.network.models import CenterEditor, Membership, Role

    return (
        Membership.objects.filter(person=person, role=Role.ORGANISER).exists()
        or CenterEditor.objects.filter(person=person).exists()
    )


# Flags


def can_flag(person: Any, *, author: Any, can_view: bool) -> bool:
    """Anyone signed in flags what they can see, except their own content (or themselves)."""
    if not is_person(person) or not can_view:
        return False
    return author is None or getattr(author, "pk", None) != person.pk


# Acting


def can_act_on_content(person: Any, space: Space, *, author: Any) -> bool:
    """Hide, restore, edit with a note, approve or reject, dismiss flags: the space's moderators, not on their own."""
    if not is_space_moderator(person, space):
        return False
    return author is None or getattr(author, "pk", None) != person.pk


def can_moderate_thread(person: Any, space: Space) -> bool:
    """Lock, unlock, slow mode."""
    return is_space_moderator(person, space)


def can_act_on_person(person: Any, space: Space, *, target: Any) -> bool:
    """Warn, suspend from the space, ban from the space, lift: the space's moderators, never on themselves."""
    if not is_space_moderator(person, space):
        return False
    return bool(getattr(target, "pk", None) != person.pk)


def can_ban(person: Any, space: Space, *, target: Any) -> bool:
    """A ban is from a circle or a center; the site equivalent is a site suspension."""
    return space is not None and can_act_on_person(person, space, target=target)


def can_suspend_site_wide(person: Any, *, target: Any) -> bool:
    return is_site_moderator(person) and bool(getattr(target, "pk", None) != person.pk)


def can_see_queue(person: Any, space: Space) -> bool:
    return is_space_moderator(person, space)


def can_see_audit_log(person: Any, space: Space) -> bool:
    return is_space_moderator(person, space)


def can_see_flaggers(person: Any, space: Space, *, author: Any) -> bool:
    """Moderators see who flagged, except on their own content: the flagged author never learns who flagged."""
    return can_act_on_content(person, space, author=author)


def can_edit_space_settings(person: Any, space: Space) -> bool:
    return space is not None and is_space_moderator(person, space)


# Rules


def can_edit_code_of_conduct(person: Any) -> bool:
    return is_site_admin(person)


def can_edit_house_rules(person: Any, space: Space) -> bool:
    if isinstance(space, Circle):
        return network_perms.can_edit_circle(person, space)
    if isinstance(space, Center):
        return network_perms.can_edit_center(person, space)
    return False


def can_manage_site_moderators(person: Any) -> bool:
    return is_site_admin(person)


# Appeals


def can_appeal(person: Any, action: ModerationAction, *, already_appealed: bool) -> bool:
    """The affected person, once per appealable action."""
    return is_person(person) and action.target_person_id == person.pk and action.is_appealable and not already_appealed


def can_decide_appeal(person: Any, appeal: Appeal, space: Space) -> bool:
    """Another moderator of that space, or a site moderator: never the one who acted, never the appellant."""
    if not is_space_moderator(person, space):
        return False
    return bool(person.pk not in {appeal.action.moderator_id, appeal.person_id})


# Mute and block


def can_mute_or_block(person: Any, other: Any) -> bool:
    return is_person(person) and getattr(other, "pk", None) not in {None, person.pk}
