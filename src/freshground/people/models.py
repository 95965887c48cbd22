"""People: the account (e-mail and password, handled by allauth) and the public profile in one row."""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshground.core.models import Place, Tag, coordinates_pair


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    CIRCLES = "circles", _("Members of my circles")
    PRIVATE = "private", _("Only me")


# Profile fields whose visibility each person chooses; the display name is always public.
PROFILE_VISIBILITY_FIELDS: tuple[str, ...] = ("bio", "place", "languages", "skills", "interests")
DEFAULT_VISIBILITY: dict[str, str] = {
    "bio": Visibility.PUBLIC,
    "place": Visibility.CIRCLES,
    "languages": Visibility.PUBLIC,
    "skills": Visibility.CIRCLES,
    "interests": Visibility.PUBLIC,
}


def default_visibility() -> dict[str, str]:
    return {key: str(value) for key, value in DEFAULT_VISIBILITY.items()}


def generate_handle() -> str:
    return f"member-{secrets.token_hex(3)}"


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> Person:
        if not email:
            raise ValueError("An e-mail address is required.")
        person = self.model(email=self.normalize_email(email), **extra)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> Person:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> Person:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class Person(AbstractBaseUser, PermissionsMixin, Place):
    """Someone using Fresh Ground. A pseudonym is welcome; a real name is never asked for."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        default=generate_handle,
        help_text=_("Shown next to everything you do. A pseudonym is fine."),
    )
    # For @mentions: unique, lower-case letters, digits and hyphens. Filled from the display name when first saved.
    handle = models.CharField(_("handle"), max_length=40, unique=True, null=True, blank=True)
    bio = models.TextField(_("about me"), max_length=2000, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    skills = models.ManyToManyField(Tag, verbose_name=_("skills"), blank=True, related_name="+")
    interests = models.ManyToManyField(Tag, verbose_name=_("interests"), blank=True, related_name="+")
    visibility = models.JSONField(_("who sees what"), default=default_visibility)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("site admin"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects: ClassVar[PersonManager] = PersonManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["display_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [coordinates_pair("people_person")]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("people:profile", args=[self.pk])

    def visibility_of(self, field: str) -> str:
        return str(self.visibility.get(field) or DEFAULT_VISIBILITY.get(field, Visibility.PRIVATE))

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.handle:
            from freshground.core.text import unique_slug

            self.handle = unique_slug(Person, self.display_name or "member", max_length=40, field="handle")
        super().save(*args, **kwargs)

    @property
    def is_site_admin(self) -> bool:
        return bool(self.is_active and (self.is_staff or self.is_superuser))


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the token itself is shown once, when created."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Day granularity on purpose: enough to spot an unused token, too coarse to be an access log.
    last_used_on = models.DateField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
