# mypy: disable-error-code="arg-type,attr-defined"
"""The event form's registration questions and reminder hours: parsed into what the registrations part reads, shown
back on edit, refused with a message when they make no sense."""

from __future__ import annotations

import pytest
from django.urls import reverse

from freshground.events.forms import EventForm
from freshground.events.models import Event, Registration, RegistrationStatus
from freshground.events.services_registrations import questions_of
from freshground.events.services_reminders import reminder_hours_of
from freshground.events.tests.core_helpers import make_event

pytestmark = pytest.mark.django_db


def form_data(**values: str) -> dict[str, str]:
    return {
        "title": "Ward meeting",
        "kind": "public_meeting",
        "starts_at": "2031-03-04T18:30",
        "ends_at": "2031-03-04T20:00",
        "time_zone": "Europe/London",
        "attendance_mode": "in_person",
        "venue_name": "The Infirmary canteen",
        "language": "en",
        "registration_mode": "open",
        "slots-TOTAL_FORMS": "0",
        "slots-INITIAL_FORMS": "0",
        **values,
    }


def edit_data(event: Event, **values: str) -> dict[str, str]:
    """What the edit page's form would send back unchanged (its initial values as text), with some changes."""
    initial = EventForm.initial_for(event)
    data = form_data(
        title=event.title,
        starts_at=initial["starts_at"].strftime("%Y-%m-%dT%H:%M"),
        ends_at=initial["ends_at"].strftime("%Y-%m-%dT%H:%M"),
        questions=initial["questions"],
        reminder_hours=initial["reminder_hours"],
    )
    data.update(values)
    return data


def test_create_with_questions_and_reminders(client, cast):
    client.force_login(cast.organiser)
    page = client.get(reverse("events:event_create")).content.decode()
    assert '<label for="id_questions">Questions for people who register</label>' in page
    assert 'name="reminder_hours" value="24, 1"' in page  # the default, shown
    data = form_data(questions="Dietary needs\n\n  Why are you coming? *  \n", reminder_hours=" 48, 2,48 ")
    response = client.post(reverse("events:event_create"), data)
    assert response.status_code == 302
    event = Event.objects.get(title="Ward meeting")
    assert event.questions == [
        {"key": "dietary_needs", "label": "Dietary needs", "required": False},
        {"key": "why_are_you_coming", "label": "Why are you coming?", "required": True},
    ]
    assert event.reminder_hours == [48, 2]
    # The registrations part reads them: the register page asks both, the second one required.
    assert [(q.key, q.required) for q in questions_of(event)] == [
        ("dietary_needs", False),
        ("why_are_you_coming", True),
    ]
    client.force_login(cast.outsider)
    page = client.get(reverse("events:register", args=[event.slug])).content.decode()
    assert "Dietary needs" in page
    assert "Why are you coming?" in page


def test_edit_shows_them_back_and_keeps_keys_and_answers(client, cast):
    event = make_event(
        cast.organiser,
        host_circle=cast.circle,
        questions=[
            {"key": "diet", "label": "Dietary needs", "max_length": 100},
            {"key": "why", "label": "Why?", "required": True},
            "Bare question",
        ],
        reminder_hours=[24, 1],
    )
    Registration.objects.create(
        event=event, person=cast.member, status=RegistrationStatus.CONFIRMED, answers={"diet": "vegan"}
    )
    client.force_login(cast.organiser)
    page = client.get(reverse("events:event_edit", args=[event.slug])).content.decode()
    assert "Dietary needs\nWhy? *\nBare question</textarea>" in page
    assert 'name="reminder_hours" value="24, 1"' in page

    # Unchanged: saved as it was (bare strings become dicts with the key they had).
    response = client.post(reverse("events:event_edit", args=[event.slug]), edit_data(event))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.questions == [
        {"key": "diet", "label": "Dietary needs", "required": False, "max_length": 100},
        {"key": "why", "label": "Why?", "required": True},
        {"key": "q3", "label": "Bare question", "required": False},
    ]
    assert event.reminder_hours == [24, 1]

    # Reordered, one made required, one dropped, one added: kept questions keep their keys.
    data = edit_data(event, questions="Why?\nAccess needs *\nDietary needs*", reminder_hours="1")
    assert client.post(reverse("events:event_edit", args=[event.slug]), data).status_code == 302
    event.refresh_from_db()
    assert event.questions == [
        {"key": "why", "label": "Why?", "required": False},
        {"key": "access_needs", "label": "Access needs", "required": True},
        {"key": "diet", "label": "Dietary needs", "required": True, "max_length": 100},
    ]
    assert event.reminder_hours == [1]
    # The answer given before still belongs to its question.
    assert Registration.objects.get(event=event).answers == {"diet": "vegan"}
    assert [q.key for q in questions_of(event)] == ["why", "access_needs", "diet"]


def test_a_new_question_never_takes_an_old_key():
    initial = {"question_keys": {"Old": {"key": "q2", "label": "Old", "required": False}}}
    form = EventForm(form_data(questions="Dropped old one? no\n???\n!!!"), initial=initial)
    form.is_valid()
    # Labels without letters for a key get q<n>; q2 was the old question's, so the second gets q2_2.
    assert [q["key"] for q in form.cleaned_data["questions"]] == ["dropped_old_one_no", "q2_2", "q3"]


def test_the_same_question_twice_gets_two_keys():
    form = EventForm(form_data(questions="Name of your union\nName of your union *"))
    assert form.is_valid(), form.errors
    assert [q["key"] for q in form.cleaned_data["questions"]] == ["name_of_your_union", "name_of_your_union_2"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reminder_hours", "a day", "Give whole numbers of hours from 1 to 336"),
        ("reminder_hours", "0", "Give whole numbers of hours from 1 to 336"),
        ("reminder_hours", "400", "Give whole numbers of hours from 1 to 336"),
        ("reminder_hours", "-1", "Give whole numbers of hours from 1 to 336"),
        ("reminder_hours", "1, 2, 3, 4, 5, 6", "At most 5 reminders."),
        ("questions", "\n".join(f"Question {n}" for n in range(21)), "At most 20 questions."),
        ("questions", "x" * 301, "A question has at most 300 characters."),
    ],
)
def test_bad_questions_or_reminders_rerender_and_change_nothing(client, cast, field, value, message):
    event = make_event(cast.organiser, host_circle=cast.circle, questions=["Kept"], reminder_hours=[24])
    client.force_login(cast.organiser)
    response = client.post(reverse("events:event_edit", args=[event.slug]), edit_data(event, **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    event.refresh_from_db()
    assert event.questions == ["Kept"]
    assert event.reminder_hours == [24]
    response = client.post(reverse("events:event_create"), form_data(title="Not saved", **{field: value}))
    assert response.status_code == 400
    assert not Event.objects.filter(title="Not saved").exists()


def test_empty_fields_mean_no_questions_and_the_default_reminders(client, cast):
    client.force_login(cast.organiser)
    data = form_data(questions=" \n * \n", reminder_hours="")
    assert client.post(reverse("events:event_create"), data).status_code == 302
    event = Event.objects.get(title="Ward meeting")
    assert event.questions == []
    assert event.reminder_hours == []
    assert sorted(reminder_hours_of(event)) == [1, 24]  # the registrations part's default: a day and an hour before
