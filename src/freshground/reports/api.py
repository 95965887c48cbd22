"""The reports app's part of /api/v1/."""

from ninja import Router

from freshground.reports.api_desk import router as desk_router
from freshground.reports.api_intake import router as intake_router

router = Router()
router.add_router("/", intake_router)
router.add_router("/", desk_router)
