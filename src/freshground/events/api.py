"""The events app's API router, assembled from its parts."""

from ninja import Router

from freshground.events.api_calendar import router as calendar_router
from freshground.events.api_events import router as events_router
from freshground.events.api_registrations import router as registrations_router

router = Router()
router.add_router("", events_router)
router.add_router("", calendar_router)
router.add_router("", registrations_router)
