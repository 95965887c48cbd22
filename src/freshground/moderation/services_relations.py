"""Mute and block between two people: muted people's posts fold away and cause no notifications; blocked people
cannot reply to or mention the person who blocked them."""

from typing import Any

from django.utils.translation import gettext as _

from freshground.core.exceptions import DomainError
from freshground.moderation import permissions as perms
from freshground.moderation.models import (
    Block,
    Mute,
)
from freshground.moderation.services import require_person
from freshground.people.models import Person

# Mute and block


def _other(actor: Any, other: Person) -> Person:
    person = require_person(actor)
    if not perms.can_mute_or_block(person, other):
        raise DomainError(_("You cannot mute or block yourself."), field="person")
    return person


def mute(*, actor: Any, other: Person) -> Mute:
    person = _other(actor, other)
    row, _created = Mute.objects.get_or_create(person=person, muted=other)
    return row


def unmute(*, actor: Any, other: Person) -> None:
    Mute.objects.filter(person=require_person(actor), muted=other).delete()


def block(*, actor: Any, other: Person) -> Block:
    person = _other(actor, other)
    row, _created = Block.objects.get_or_create(person=person, blocked=other)
    return row


def unblock(*, actor: Any, other: Person) -> None:
    Block.objects.filter(person=require_person(actor), blocked=other).delete()
