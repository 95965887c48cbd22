"""The moderation app's part of /api/v1/."""

from ninja import Router

router = Router(tags=["moderation"])
