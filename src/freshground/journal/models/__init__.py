"""The journal's models, one module per concept; each part of the app owns one module."""

from freshground.journal.models.articles import (
    ARTICLE_BODY_MAX_LENGTH,
    ARTICLE_TITLE_MAX_LENGTH,
    Article,
    ArticleImage,
    ArticleRevision,
    ArticleStatus,
    EditorNote,
    Licence,
    LinkPost,
    Submission,
    SubmissionStatus,
)
from freshground.journal.models.entries import Entry, Story
from freshground.journal.models.items import (
    EditorialPick,
    Item,
    ItemKind,
    RankingRun,
    Recommendation,
    SavedItem,
)
from freshground.journal.models.sources import (
    DEFAULT_INTERVAL_SECONDS,
    URL_MAX_LENGTH,
    Source,
    SourceFollow,
    SourceKind,
    SourceStatus,
)

__all__ = [
    "ARTICLE_BODY_MAX_LENGTH",
    "ARTICLE_TITLE_MAX_LENGTH",
    "DEFAULT_INTERVAL_SECONDS",
    "URL_MAX_LENGTH",
    "Article",
    "ArticleImage",
    "ArticleRevision",
    "ArticleStatus",
    "EditorNote",
    "EditorialPick",
    "Entry",
    "Item",
    "ItemKind",
    "Licence",
    "LinkPost",
    "RankingRun",
    "Recommendation",
    "SavedItem",
    "Source",
    "SourceFollow",
    "SourceKind",
    "SourceStatus",
    "Story",
    "Submission",
    "SubmissionStatus",
]
