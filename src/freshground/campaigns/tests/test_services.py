"""Services: sponsorship, supporters, goals, planning, petitions (once per e-mail, confirmed by a signed link), kits."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

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
    Goal,
    KitItem,
    Petition,
    ProgressReport,
    Signature,
    Sponsor,
    SponsorStatus,
    Task,
)
from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied

from .conftest import World

pytestmark = pytest.mark.django_db


def fresh(campaign: Campaign) -> Campaign:
    found = queries.campaign_by_slug(campaign.slug)
    assert found is not None
    return found


# Sponsorship


def test_active_sponsors_are_the_initiator_and_the_accepted_center(world: World) -> None:
    sponsors = queries.active_sponsors(fresh(world.campaign))
    assert [s.name for s in sponsors] == [world.circle.name, world.center.name]
    assert [s.initiator for s in sponsors] == [True, False]
    assert fresh(world.campaign).sponsor_count == 2


def test_request_decline_and_ask_again(world: World) -> None:
    sponsor = services.request_sponsorship(
        actor=world.other_organiser, campaign=world.campaign, party=world.other_circle, message="Let us join"
    )
    with pytest.raises(Conflict):
        services.request_sponsorship(
            actor=world.other_organiser, campaign=fresh(world.campaign), party=world.other_circle
        )
    with pytest.raises(PermissionDenied):
        services.decide_sponsorship(actor=world.editor, sponsor=sponsor, accept=True)  # a co-sponsor, not initiator
    services.decide_sponsorship(actor=world.organiser, sponsor=sponsor, accept=False)
    assert Sponsor.objects.get(pk=sponsor.pk).status == SponsorStatus.DECLINED
    again = services.request_sponsorship(
        actor=world.other_organiser, campaign=fresh(world.campaign), party=world.other_circle
    )
    services.decide_sponsorship(actor=world.organiser, sponsor=again, accept=True)
    assert fresh(world.campaign).sponsor_count == 3


def test_only_organisers_ask_in_a_circles_name(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.request_sponsorship(actor=world.outsider, campaign=world.campaign, party=world.other_circle)
    assert not Sponsor.objects.filter(circle=world.other_circle).exists()


def test_last_initiator_withdrawing_hands_acceptance_on(world: World) -> None:
    initiator = next(s for s in queries.active_sponsors(fresh(world.campaign)) if s.initiator)
    services.withdraw_sponsor(actor=world.organiser, sponsor=initiator)
    remaining = queries.active_sponsors(fresh(world.campaign))
    assert [(s.name, s.initiator) for s in remaining] == [(world.center.name, True)]
    assert fresh(world.campaign).sponsor_count == 1
    sponsor = services.request_sponsorship(
        actor=world.other_organiser, campaign=fresh(world.campaign), party=world.other_circle
    )
    perms.forget(world.editor)
    services.decide_sponsorship(actor=world.editor, sponsor=sponsor, accept=True)


def test_support_and_leave_keep_the_count(world: World) -> None:
    services.support(actor=world.outsider, campaign=world.campaign)
    services.support(actor=world.outsider, campaign=world.campaign)  # twice is once
    assert fresh(world.campaign).supporter_count == 2
    services.stop_supporting(actor=world.outsider, campaign=world.campaign)
    assert fresh(world.campaign).supporter_count == 1


# Bad input: a reason, nothing stored


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 161}, "title"),
        ({"scope": "galactic"}, "scope"),
        ({"latitude": 10.0}, "latitude"),
        ({"starts_on": date(2027, 5, 1), "ends_on": date(2027, 4, 1)}, "ends_on"),
        ({"demands": ["d"] * 21}, "demands"),
        ({"goals": [{"label": "Votes", "target": 0}]}, "target"),
    ],
)
def test_bad_campaign_input_is_refused_and_nothing_stored(world: World, values: dict[str, Any], field: str) -> None:
    before = Campaign.objects.count()
    arguments = {"title": "A campaign", **values}
    with pytest.raises(DomainError) as refused:
        services.create_campaign(actor=world.organiser, sponsor=world.circle, **arguments)
    assert refused.value.field == field
    assert Campaign.objects.count() == before


def test_outsider_cannot_start_a_campaign_for_a_circle(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.create_campaign(actor=world.outsider, sponsor=world.circle, title="Hijack")


def test_free_tag_topic_is_created(world: World) -> None:
    campaign = services.create_campaign(
        actor=world.organiser, sponsor=world.circle, title="Bus routes", topic="Public transport", tags=["buses"]
    )
    assert campaign.topic is not None
    assert campaign.topic.name == "Public transport"
    assert [t.name for t in campaign.tags.all()] == ["buses"]


# Goals and the plan


def test_goal_progress_by_organisers(world: World) -> None:
    goal = Goal.objects.get(campaign=world.campaign)
    services.update_goal_progress(actor=world.organiser, goal=goal, current=150)
    assert Goal.objects.get(pk=goal.pk).percent == 75
    with pytest.raises(PermissionDenied):
        services.update_goal_progress(actor=world.supporter, goal=goal, current=999)


def test_actions_and_tasks(world: World) -> None:
    action = services_actions.add_action(
        actor=world.organiser,
        campaign=world.campaign,
        title="Stall at the market",
        starts_at=timezone.now() + timedelta(days=3),
        people_needed=4,
    )
    task = services_actions.add_task(
        actor=world.editor, campaign=world.campaign, title="Print 500 leaflets", assignees=[world.member], action=action
    )
    services_actions.set_task_done(actor=world.member, task=task, done=True)
    assert Task.objects.get(pk=task.pk).done
    with pytest.raises(DomainError) as refused:
        services_actions.add_task(actor=world.organiser, campaign=world.campaign, title="X", assignees=[world.outsider])
    assert refused.value.field == "assignees"
    with pytest.raises(PermissionDenied):
        services_actions.add_action(actor=world.member, campaign=world.campaign, title="Y", starts_at=timezone.now())
    assert Action.objects.count() == 1


def test_progress_report_in_a_sponsors_name(world: World) -> None:
    sponsors = queries.active_sponsors(fresh(world.campaign))
    circle_sponsor = sponsors[0]
    report = services_progress.post_progress(
        actor=world.member, campaign=world.campaign, sponsor=circle_sponsor, body="We knocked on 120 doors."
    )
    assert report.circle_id == world.circle.pk
    with pytest.raises(PermissionDenied):
        services_progress.post_progress(
            actor=world.member, campaign=world.campaign, sponsor=sponsors[1], body="Not ours"
        )
    with pytest.raises(PermissionDenied):
        services_progress.post_progress(
            actor=world.outsider, campaign=world.campaign, sponsor=circle_sponsor, body="Hi"
        )
    assert ProgressReport.objects.count() == 1


# Petitions


@pytest.fixture
def petition(world: World) -> Petition:
    return services_petitions.create_petition(
        actor=world.organiser,
        campaign=world.campaign,
        title="Freeze the rents",
        target="Riverside Council",
        text="We call on the council to freeze rents.",
        signature_goal=1000,
    )


def sign(petition: Petition, email: str, name: str = "Ann", show: bool = True) -> Signature:
    return services_petitions.sign_petition(actor=None, petition=petition, name=name, email=email, show_name=show)


def test_petition_counts_once_per_email_after_confirmation(
    world: World, petition: Petition, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = sign(petition, "Ann@Example.org ")
        again = sign(petition, "ann@example.ORG")
    assert first.pk == again.pk
    assert Signature.objects.filter(petition=petition).count() == 1
    assert len(mail.outbox) == 2  # the link again, never "you already signed"
    assert Petition.objects.get(pk=petition.pk).signature_count == 0
    found = re.search(r"/campaigns/signatures/([^/\s]+)/", str(mail.outbox[0].body))
    assert found is not None
    token = found.group(1)
    assert "Ann@" not in mail.outbox[0].body
    services_petitions.confirm_signature(token=token)
    services_petitions.confirm_signature(token=token)  # twice is harmless
    assert Petition.objects.get(pk=petition.pk).signature_count == 1
    assert Goal.objects.get(petition=petition).current == 1
    with django_capture_on_commit_callbacks(execute=True):
        sign(petition, "ann@example.org")
    assert len(mail.outbox) == 2  # confirmed: no more mail


def test_a_forged_or_altered_token_confirms_nothing(petition: Petition) -> None:
    signature = sign(petition, "bob@example.org")
    with pytest.raises(NotFound):
        services_petitions.confirm_signature(token=services_petitions.signature_token(signature) + "x")
    with pytest.raises(NotFound):
        services_petitions.confirm_signature(token="nonsense")
    assert Petition.objects.get(pk=petition.pk).signature_count == 0


@pytest.mark.parametrize(("name", "email", "field"), [("", "a@example.org", "name"), ("Ann", "not-an-email", "email")])
def test_bad_signatures_are_refused(petition: Petition, name: str, email: str, field: str) -> None:
    with pytest.raises(DomainError) as refused:
        sign(petition, email, name=name)
    assert refused.value.field == field
    assert not Signature.objects.exists()


def test_closed_petition_takes_no_signatures(world: World, petition: Petition) -> None:
    services_petitions.close_petition(actor=world.organiser, petition=petition)
    with pytest.raises(Conflict):
        sign(Petition.objects.select_related("campaign").get(pk=petition.pk), "c@example.org")


def test_public_list_shows_only_confirmed_names_that_agreed(petition: Petition) -> None:
    shown = sign(petition, "a@example.org", name="Ann", show=True)
    hidden = sign(petition, "b@example.org", name="Bob", show=False)
    sign(petition, "c@example.org", name="Cat", show=True)  # unconfirmed
    for s in (shown, hidden):
        services_petitions.confirm_signature(token=services_petitions.signature_token(s))
    assert [s.name for s in queries.public_signers(petition)] == ["Ann"]


def test_csv_lists_every_signature_and_defuses_formulas(petition: Petition) -> None:
    sign(petition, "a@example.org", name="=HYPERLINK(evil)")
    text = queries.signatures_csv(petition)
    assert "a@example.org" in text
    assert "'=HYPERLINK(evil)" in text


# Kits


def test_copy_into_our_circle_credits_the_original(world: World) -> None:
    item = services_kits.add_kit_item(
        actor=world.editor, campaign=world.campaign, title="Door-knocking script", body="# Hello\nWe are tenants."
    )
    copy = services_kits.copy_kit_item(actor=world.organiser, item=item, circle=world.circle)
    assert copy.circle == world.circle
    assert copy.adapted_from == item
    assert copy.body == item.body
    assert copy.credit == f"Adapted from “Door-knocking script” by {world.campaign.title}"
    services_kits.update_kit_item(actor=world.organiser, item=copy, body="Our own version")
    assert KitItem.objects.get(pk=item.pk).body.startswith("# Hello")
    with pytest.raises(PermissionDenied):
        services_kits.copy_kit_item(actor=world.other_organiser, item=item, circle=world.other_circle)


def test_kit_attachments_have_a_size_cap(world: World) -> None:
    big = SimpleUploadedFile("leaflet.pdf", b"x" * (services_kits.MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(DomainError) as refused:
        services_kits.add_kit_item(actor=world.organiser, campaign=world.campaign, title="Leaflet", attachment=big)
    assert refused.value.field == "attachment"
    bad = SimpleUploadedFile("run.exe", b"MZ")
    with pytest.raises(DomainError):
        services_kits.add_kit_item(actor=world.organiser, campaign=world.campaign, title="Leaflet", attachment=bad)
    ok = SimpleUploadedFile("leaflet.pdf", b"%PDF-1.4")
    item = services_kits.add_kit_item(actor=world.organiser, campaign=world.campaign, title="Leaflet", attachment=ok)
    assert str(item.attachment.name).endswith(".pdf")
    assert KitItem.objects.count() == 1
