"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.utils.text import slugify

from freshground.network.models import Center, CenterEditor, Circle, CircleKind, Membership, Role, Tie
from freshground.people.models import Person

PASSWORD = "correct horse battery staple"  # noqa: S105 - test-only password


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class CircleFactory(factory.django.DjangoModelFactory[Circle]):
    class Meta:
        model = Circle

    name = factory.Sequence(lambda n: f"Circle {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = CircleKind.CITY
    place_name = "Leeds"


class CenterFactory(factory.django.DjangoModelFactory[Center]):
    class Meta:
        model = Center

    name = factory.Sequence(lambda n: f"Center {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    tendency = "democratic socialist"


def add_member(circle: Circle, person: Person, role: str = Role.MEMBER) -> Membership:
    membership = Membership.objects.create(circle=circle, person=person, role=role)
    Circle.objects.filter(pk=circle.pk).update(member_count=circle.memberships.count())
    circle.refresh_from_db()
    return membership


def add_editor(center: Center, person: Person) -> CenterEditor:
    return CenterEditor.objects.create(center=center, person=person)


def tie(circle: Circle, center: Center, wants: list[str] | None = None) -> Tie:
    created = Tie.objects.create(circle=circle, center=center, wants=wants or ["literature"])
    Center.objects.filter(pk=center.pk).update(tie_count=center.ties.filter(ended_at__isnull=True).count())
    return created
