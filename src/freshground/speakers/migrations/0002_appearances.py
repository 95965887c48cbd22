# Roster speakers at events (issue 3: an event's speakers come from the roster or free text).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def record_scheduled_talks(apps, schema_editor):
    """Every talk an accepted request already put on the calendar is an appearance of its speaker."""
    SpeakingRequest = apps.get_model("speakers", "SpeakingRequest")
    Appearance = apps.get_model("speakers", "Appearance")
    seen = set()
    rows = []
    scheduled = SpeakingRequest.objects.filter(status="scheduled", event__isnull=False).order_by("id")
    for request in scheduled.values("speaker_id", "event_id", "requested_by_id", "decided_at", "created_at"):
        key = (request["speaker_id"], request["event_id"])
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            Appearance(
                speaker_id=request["speaker_id"],
                event_id=request["event_id"],
                added_by_id=request["requested_by_id"],
                created_at=request["decided_at"] or request["created_at"],
            )
        )
    Appearance.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_cohost_invites"),
        ("speakers", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Appearance",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "added_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="speaker_appearances",
                        to="events.event",
                    ),
                ),
                (
                    "speaker",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="appearances",
                        to="speakers.speaker",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "id"],
                "constraints": [models.UniqueConstraint(fields=("speaker", "event"), name="speakers_appearance_once")],
            },
        ),
        migrations.RunPython(record_scheduled_talks, migrations.RunPython.noop),
    ]
