"""The journal's search part of /api/v1/."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["journal"])
