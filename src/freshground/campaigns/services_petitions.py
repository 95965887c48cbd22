"""Petitions and their signatures: anyone may sign (no account needed); a signature counts once confirmed through
the link mailed to its address, and a petition's goal follows its confirmed count."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.campaigns import permissions as perms
from freshground.campaigns.models import Campaign, Goal, GoalUnit, Petition, Signature
from freshground.campaigns.services import require, whole_number
from freshground.core.exceptions import Conflict, DomainError, NotFound
from freshground.core.permissions import is_person
from freshground.core.validation import checked_text

logger = logging.getLogger(__name__)

SIGNATURE_SALT = "freshground.campaigns.signature"
SIGNATURE_LINK_DAYS = 14


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
    require(perms.can_manage_campaign(actor, campaign), _("Only the campaign's sponsors can start a petition."))
    title = checked_text(title, field="title", limit=200, message=_("A petition needs a title."))
    target = checked_text(target, field="target", limit=200, message=_("Say who the petition is addressed to."))
    text = checked_text(text, field="text", limit=20000, message=_("Write what the petition asks for."))
    goal_n = whole_number(signature_goal, field="signature_goal", minimum=0)
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
    require(perms.can_manage_petition(actor, petition), _("Only the campaign's sponsors can close a petition."))
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
