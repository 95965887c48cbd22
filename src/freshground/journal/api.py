"""The journal part of /api/v1/: one router per part of the app."""

from __future__ import annotations

from ninja import Router

from freshground.journal.api_articles import router as articles_router
from freshground.journal.api_reading import router as reading_router
from freshground.journal.api_search import router as search_router
from freshground.journal.api_sources import router as sources_router

router = Router()
router.add_router("/", sources_router)
router.add_router("/", articles_router)
router.add_router("/", search_router)
router.add_router("/", reading_router)
