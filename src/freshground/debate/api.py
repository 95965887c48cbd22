"""The debate app's part of /api/v1/: comments on anything, and debates."""

from ninja import Router

from freshground.debate.api_comments import router as comments_router
from freshground.debate.api_debates import router as debates_router

router = Router()
router.add_router("/", comments_router)
router.add_router("/", debates_router)
