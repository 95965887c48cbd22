"""Points-of-unity documents: drafting from consensus statements, versions with frozen support per group and per
circle, endorsements by circles' organisers and centers' editors (role × action matrix, IDOR), withdrawing, pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.testing import factories
from freshground.unity import analysis_runs, services, services_documents
from freshground.unity.models import StatementStatus
from freshground.unity.models_documents import Endorsement

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(cast):
    conversation = services.open_conversation(
        person=cast.organiser,
        title="What unites us?",
        circle=cast.circle,
        seed_statements=["Rent is too high.", "Hospitals need more staff.", "Buses should be free."],
    )
    participant = services.join(person=cast.member, conversation=conversation)
    services.declare_circles(person=cast.member, participant=participant, circles=[cast.circle])
    for person in (cast.member, cast.organiser, cast.editor):
        for statement in conversation.statements.all():
            services.vote(actor=person, statement=statement, value=1)
    analysis_runs.run_analysis(conversation)
    return conversation


@pytest.fixture
def document(cast, conversation):
    ids = list(conversation.statements.values_list("pk", flat=True)[:2])
    return services_documents.draft_document(
        person=cast.organiser, conversation=conversation, title="Our points", statement_ids=ids
    )


def test_draft_freezes_support(cast, conversation, document):
    version = document.versions.get()
    assert version.number == 1
    assert document.latest_version == 1
    items = list(version.items.all())
    assert [i.text for i in items] == ["Rent is too high.", "Hospitals need more staff."]
    support = items[0].support
    assert support["overall"] == [3, 0, 0]
    assert support["circles"] == [[cast.circle.pk, cast.circle.name, [1, 0, 0]]]
    # later votes do not change what the version says
    services.vote(actor=cast.member, statement=items[0].statement, value=-1)
    analysis_runs.run_analysis(conversation)
    items[0].refresh_from_db()
    assert items[0].support["overall"] == [3, 0, 0]


def test_revising_makes_a_new_version(cast, conversation, document):
    ids = list(conversation.statements.values_list("pk", flat=True))
    version = services_documents.revise_document(
        person=cast.organiser, document=document, title="Our points, revised", statement_ids=ids
    )
    assert version.number == 2
    assert version.items.count() == 3
    document.refresh_from_db()
    assert document.latest_version == 2
    assert document.versions.get(number=1).items.count() == 2


def test_draft_refusals(cast, conversation):
    statement = conversation.statements.first()
    with pytest.raises(PermissionDenied):
        services_documents.draft_document(
            person=cast.member, conversation=conversation, title="Mine", statement_ids=[statement.pk]
        )
    with pytest.raises(DomainError):
        services_documents.draft_document(person=cast.organiser, conversation=conversation, title="X", statement_ids=[])
    other = services.open_conversation(person=cast.member, title="Other", seed_statements=["Elsewhere."])
    with pytest.raises(NotFound):
        services_documents.draft_document(
            person=cast.organiser, conversation=conversation, title="X", statement_ids=[other.statements.get().pk]
        )
    pending = services.add_statement(person=cast.organiser, conversation=conversation, text="Fine.")
    services.reject_statement(person=cast.organiser, statement=pending)
    with pytest.raises(DomainError) as refused:
        services_documents.draft_document(
            person=cast.organiser, conversation=conversation, title="X", statement_ids=[pending.pk]
        )
    assert pending.status == StatementStatus.REJECTED
    assert refused.value.field == "statements"


@pytest.mark.parametrize(
    ("role", "as_circle", "allowed"),
    [
        ("organiser", True, True),
        ("member", True, False),
        ("editor", True, False),
        ("admin", True, False),
        ("outsider", True, False),
        ("editor", False, True),
        ("organiser", False, False),
        ("member", False, False),
        ("admin", False, False),
        ("anonymous", True, False),
    ],
)
def test_endorsement_matrix(cast, document, role, as_circle, allowed):
    person = None if role == "anonymous" else getattr(cast, role)
    version = document.versions.get()
    endorser = {"circle": cast.circle} if as_circle else {"center": cast.center}
    if allowed:
        endorsement = services_documents.endorse(person=person, version=version, **endorser)
        assert endorsement.is_standing
        services_documents.withdraw(person=person, endorsement=endorsement)
        endorsement.refresh_from_db()
        assert not endorsement.is_standing
    else:
        with pytest.raises(PermissionDenied):
            services_documents.endorse(person=person, version=version, **endorser)
        assert not Endorsement.objects.exists()


def test_an_organiser_of_one_circle_cannot_endorse_or_withdraw_for_another(cast, document):
    other = factories.CircleFactory()
    other_organiser = factories.PersonFactory()
    factories.add_member(other, other_organiser, "organiser")
    version = document.versions.get()
    with pytest.raises(PermissionDenied):
        services_documents.endorse(person=other_organiser, version=version, circle=cast.circle)
    ours = services_documents.endorse(person=cast.organiser, version=version, circle=cast.circle)
    with pytest.raises(PermissionDenied):
        services_documents.withdraw(person=other_organiser, endorsement=ours)
    theirs = services_documents.endorse(person=other_organiser, version=version, circle=other)
    assert {e.circle for e in Endorsement.objects.filter(withdrawn_at__isnull=True)} == {cast.circle, other}
    assert theirs.endorsed_by == other_organiser


def test_endorsing_a_newer_version_replaces_the_old_one(cast, conversation, document):
    first = document.versions.get()
    services_documents.endorse(person=cast.organiser, version=first, circle=cast.circle)
    with pytest.raises(Conflict):
        services_documents.endorse(person=cast.organiser, version=first, circle=cast.circle)
    ids = list(conversation.statements.values_list("pk", flat=True))
    second = services_documents.revise_document(person=cast.organiser, document=document, title="v2", statement_ids=ids)
    services_documents.endorse(person=cast.organiser, version=second, circle=cast.circle)
    standing = Endorsement.objects.get(withdrawn_at__isnull=True)
    assert standing.version == second
    assert Endorsement.objects.filter(withdrawn_at__isnull=False).count() == 1


def test_document_pages(client, cast, conversation, document):
    page = client.get(document.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Rent is too high." in html
    assert cast.circle.name in html  # support per circle
    assert "No circle or center has endorsed" in html
    assert 'name="group"' not in html
    client.force_login(cast.organiser)
    html = client.get(document.get_absolute_url()).content.decode()
    assert f'value="circle:{cast.circle.slug}"' in html
    response = client.post(
        reverse("unity:document_endorse", args=[document.pk]), {"version": "1", "group": f"circle:{cast.circle.slug}"}
    )
    assert response.status_code == 302
    html = client.get(document.get_absolute_url()).content.decode()
    assert "endorsed version 1" in html
    assert "Withdraw" in html
    client.force_login(cast.member)
    refused = client.post(
        reverse("unity:document_endorse", args=[document.pk]), {"version": "1", "group": f"circle:{cast.circle.slug}"}
    )
    assert refused.status_code == 403
    endorsement = Endorsement.objects.get()
    assert client.post(reverse("unity:endorsement_withdraw", args=[endorsement.pk])).status_code == 403
    client.force_login(cast.organiser)
    client.post(reverse("unity:endorsement_withdraw", args=[endorsement.pk]))
    endorsement.refresh_from_db()
    assert not endorsement.is_standing
    report = client.get(reverse("unity:report", args=[conversation.slug])).content.decode()
    assert "Our points" in report
    assert "Draft a points-of-unity document" in report


def test_draft_and_revise_through_the_pages(client, cast, conversation):
    client.force_login(cast.member)
    assert client.get(reverse("unity:document_create", args=[conversation.slug])).status_code == 403
    client.force_login(cast.organiser)
    form = client.get(reverse("unity:document_create", args=[conversation.slug])).content.decode()
    assert "% agree)" in form
    ids = [str(pk) for pk in conversation.statements.values_list("pk", flat=True)]
    response = client.post(
        reverse("unity:document_create", args=[conversation.slug]), {"title": "Drafted", "statements": ids[:1]}
    )
    assert response.status_code == 302
    document = conversation.documents.get()
    edit = reverse("unity:document_edit", args=[document.pk])
    assert client.post(edit, {"title": "Drafted", "statements": []}).status_code == 400
    client.post(edit, {"title": "Drafted again", "statements": ids})
    document.refresh_from_db()
    assert document.latest_version == 2
    html = client.get(document.get_absolute_url() + "?version=1").content.decode()
    assert 'aria-current="page"' in html
    assert client.get(document.get_absolute_url() + "?version=9").status_code == 404
