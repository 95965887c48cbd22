"""Shared primitives: tags, places and the bookkeeping for periodic jobs. No domain logic lives here."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class Tag(models.Model):
    """A free-text label (a skill, an interest, a topic) shared across the whole network."""

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    # Part of the network's controlled vocabulary of topics (offered in pickers, listed on the journal's topic index);
    # any other tag is a free tag.
    is_topic = models.BooleanField(_("topic of the controlled vocabulary"), default=False)

    class Meta:
        ordering = [Lower("name")]
        constraints = [models.UniqueConstraint(Lower("name"), name="core_tag_name_ci_unique")]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = slugify(self.name, allow_unicode=True)[:80] or "tag"
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def coordinates_pair(prefix: str) -> models.CheckConstraint:
    """For a model with Place fields: latitude and longitude are given together or not at all."""
    return models.CheckConstraint(
        condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
        | (models.Q(latitude__isnull=False) & models.Q(longitude__isnull=False)),
        name=f"{prefix}_coordinates_pair",
    )


class Place(models.Model):
    """A place as people describe it (free text), with optional coordinates for "near me" searches."""

    place_name = models.CharField(
        _("place"), max_length=160, blank=True, help_text=_("City, region or country, as you would say it.")
    )
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )

    class Meta:
        abstract = True

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class PeriodicRun(models.Model):
    """The last time each periodic job was enqueued, so that several workers schedule it only once."""

    name = models.CharField(max_length=120, unique=True)
    last_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
