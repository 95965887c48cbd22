"""Running the bridging model on the journal's recommendations and writing the results onto the items.

One run: load every recommendation of a visible item and the groups of each recommender in bulk, fit
`journal.ranking.fit`, write each affected item's ranking fields with `bulk_update` in batches, and record a
`RankingRun`. The worker runs it periodically and, debounced, after recommendations (journal.tasks_ranking).

A reader's groups are their circles (network Membership) and centers: the centers they edit (CenterEditor) and the
centers their circles have an active tie with. A tie is a circle's declared relation to a center, so its members
read from that center's perspective; counting them lets the page say "valued across M centers" for readers who are
not editors themselves (see docs/journal-ranking.md).

"Hot" is time-invariant (no rewrite as the clock moves): hot = SCORE_SCALE·(bridging score + picks' prior) +
ln 2·(hours since 2020 at publication) / HALF_LIFE_HOURS. Ordering by it equals ordering by
exp(SCORE_SCALE·score) · 2^(−age / HALF_LIFE_HOURS): an item loses half its weight every HALF_LIFE_HOURS, and a
bridging score higher by 1/SCORE_SCALE·ln 2 is worth one half-life of freshness.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from freshground.journal import ranking
from freshground.journal.models import EditorialPick, Item, RankingRun, Recommendation
from freshground.network.models import CenterEditor, Membership, Tie

logger = logging.getLogger(__name__)

HOT_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
HALF_LIFE_HOURS = 18.0
SCORE_SCALE = 14.0  # 0.1 of bridging score ≈ two half-lives (36 hours) of freshness
PICK_PRIOR = 0.05  # per editorial pick, at most MAX_PICKS_COUNTED
MAX_PICKS_COUNTED = 3
BATCH = 2000
LOAD_CHUNK = 50_000
REQUEST_KEY = "journal:ranking:requested"
DEBOUNCE = timedelta(seconds=30)
FRONT_VERSION_KEY = "journal:front:version"


def hot_score(bridging_score: float, pick_count: int, published_at: datetime) -> float:
    prior = PICK_PRIOR * min(pick_count, MAX_PICKS_COUNTED)
    hours = (published_at - HOT_EPOCH).total_seconds() / 3600.0
    return SCORE_SCALE * (bridging_score + prior) + math.log(2) * hours / HALF_LIFE_HOURS


def bump_front_version() -> None:
    """Every cached front page is stale from now on (a ranking run, a new or changed item)."""
    cache.set(FRONT_VERSION_KEY, time.time_ns(), None)


def front_version() -> int:
    version = cache.get(FRONT_VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(FRONT_VERSION_KEY, version, None)
        version = cache.get(FRONT_VERSION_KEY, version)
    return int(version)


def _hours(moment: datetime) -> float:
    return (moment - HOT_EPOCH).total_seconds() / 3600.0


def _load_recommendations() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = Recommendation.objects.filter(item__status="published").values_list("person_id", "item_id", "created_at")
    people: list[int] = []
    items: list[int] = []
    times: list[float] = []
    for person_id, item_id, created_at in rows.iterator(chunk_size=LOAD_CHUNK):
        people.append(person_id)
        items.append(item_id)
        times.append(_hours(created_at))
    return np.array(people, np.int64), np.array(items, np.int64), np.array(times, np.float64)


def _index(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct ids, sorted; each id's position among them)."""
    distinct, positions = np.unique(ids, return_inverse=True)
    return distinct, positions.astype(np.int64)


def _groups(person_ids: np.ndarray) -> tuple[list[tuple[int, int]], list[int], np.ndarray, np.ndarray]:
    """The recommenders' groups: (person id, group index) pairs, group kinds (0 circle, 1 center), and the circle
    and center ids behind the group indices."""
    recommenders = Recommendation.objects.values("person_id")
    circle_rows = list(Membership.objects.filter(person__in=recommenders).values_list("person_id", "circle_id"))
    editor_rows = list(CenterEditor.objects.filter(person__in=recommenders).values_list("person_id", "center_id"))
    ties: dict[int, list[int]] = {}
    for circle_id, center_id in Tie.objects.active().values_list("circle_id", "center_id"):
        ties.setdefault(circle_id, []).append(center_id)
    center_rows = editor_rows + [(p, center) for p, circle in circle_rows for center in ties.get(circle, ())]
    circle_ids = np.unique(np.array([c for _, c in circle_rows], np.int64))
    center_ids = np.unique(np.array([c for _, c in center_rows], np.int64))
    circle_at = {int(c): i for i, c in enumerate(circle_ids)}
    center_at = {int(c): len(circle_ids) + i for i, c in enumerate(center_ids)}
    pairs = [(p, circle_at[c]) for p, c in circle_rows] + [(p, center_at[c]) for p, c in center_rows]
    kinds = [0] * len(circle_ids) + [1] * len(center_ids)
    return pairs, kinds, circle_ids, center_ids


def run_ranking(*, now: datetime | None = None, settings: ranking.Settings | None = None) -> RankingRun:
    """Fit the model on every recommendation and write the items' ranking fields. Returns the recorded run."""
    moment = now or timezone.now()
    settings = settings or ranking.Settings()
    started = time.perf_counter()
    run = RankingRun.objects.create(started_at=moment, settings=_settings_json(settings))
    try:
        people, items, times = _load_recommendations()
        item_ids, item_pos = _index(items)
        person_ids, person_pos = _index(people)
        pairs, kinds, _, _ = _groups(person_ids)
        person_at = {int(p): i for i, p in enumerate(person_ids)}
        member_reader = np.array([person_at[p] for p, _ in pairs if p in person_at], np.int64)
        member_group = np.array([g for p, g in pairs if p in person_at], np.int64)
        published = dict(
            Item.objects.filter(pk__in=Recommendation.objects.values("item_id")).values_list("pk", "published_at")
        )
        item_time = np.array([_hours(published.get(int(i), moment)) for i in item_ids], np.float64)
        result = ranking.fit(
            (person_pos, item_pos),
            (member_reader, member_group),
            n_readers=len(person_ids),
            n_items=len(item_ids),
            n_groups=len(kinds),
            group_kinds=kinds,
            item_time=item_time,
            rating_time=times,
            settings=settings,
        )
        written = _write(result, item_ids, moment)
    except Exception as error:
        logger.exception("The journal ranking run failed")
        RankingRun.objects.filter(pk=run.pk).update(error=str(error)[:2000], finished_at=timezone.now())
        raise
    run.finished_at = timezone.now()
    run.duration_ms = int((time.perf_counter() - started) * 1000)
    run.recommendations = int(items.size)
    run.readers = len(person_ids)
    run.items = written
    run.settings = {
        **run.settings,
        "iterations": result.iterations,
        "converged": result.converged,
        "mse": round(result.mse, 6),
        "zeros": result.zeros,
        "mu": round(result.mu, 6),
    }
    run.save(update_fields=["finished_at", "duration_ms", "recommendations", "readers", "items", "settings"])
    bump_front_version()
    return run


def _settings_json(settings: ranking.Settings) -> dict[str, object]:
    return {
        **settings.to_json(),
        "half_life_hours": HALF_LIFE_HOURS,
        "score_scale": SCORE_SCALE,
        "pick_prior": PICK_PRIOR,
        "groups": "circles (membership), centers (editors, and active ties of the reader's circles)",
    }


def _write(result: ranking.Fit, item_ids: np.ndarray, moment: datetime) -> int:
    """Write every item whose ranking fields may change: rated ones, picked ones, formerly ranked ones and ones
    never ranked. Returns how many were written."""
    position = {int(i): k for k, i in enumerate(item_ids)}
    picks = dict(EditorialPick.objects.values("item_id").annotate(n=Count("id")).values_list("item_id", "n"))
    # EXISTS, not IN (subquery): with a million recommendations PostgreSQL's IN no longer fits in memory as a hash
    # and was re-scanned for every item (minutes); EXISTS probes the (item, created_at) index once per item.
    targets = Item.objects.filter(
        Exists(Recommendation.objects.filter(item=OuterRef("pk")))
        | Exists(EditorialPick.objects.filter(item=OuterRef("pk")))
        | Q(recommendation_count__gt=0)
        | Q(pick_count__gt=0)
        | Q(ranked_at__isnull=True)
    ).values_list("pk", "published_at")
    circles = result.item_groups_by_kind.get(0)
    centers = result.item_groups_by_kind.get(1)
    ranked_at = connection.ops.adapt_datetimefield_value(moment)
    written = 0
    batch: list[tuple[Any, ...]] = []
    for pk, published_at in targets.iterator(chunk_size=BATCH):
        k = position.get(pk)
        if k is None:
            score, factor, n_circles, n_centers, recs = 0.0, 0.0, 0, 0, 0
        else:
            score = float(result.item_score[k])
            factor = float(result.item_factor[k])
            n_circles = int(circles[k]) if circles is not None else 0
            n_centers = int(centers[k]) if centers is not None else 0
            recs = int(result.item_recommendations[k])
        pick_count = picks.get(pk, 0)
        hot = hot_score(score, pick_count, published_at)
        batch.append((score, factor, n_circles, n_centers, recs, pick_count, hot, ranked_at, pk))
        if len(batch) >= BATCH:
            written += _flush(batch)
    written += _flush(batch)
    return written


# One UPDATE per item, sent with executemany: Django's bulk_update writes CASE expressions with a branch per item,
# which SQLite evaluates row by row (measured: 58 s for 50,000 items in batches of 2,000, against under a second).
_UPDATE = (
    "UPDATE journal_item SET bridging_score = %s, bridging_factor = %s, valued_circles = %s, valued_centers = %s, "
    "recommendation_count = %s, pick_count = %s, hot_score = %s, ranked_at = %s WHERE id = %s"
)


def _flush(batch: list[tuple[Any, ...]]) -> int:
    n = len(batch)
    if n:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(_UPDATE, batch)
        batch.clear()
    return n


def request_ranking(*, now: datetime | None = None) -> bool:
    """Ask the worker for a run in DEBOUNCE unless one is already waiting (True if this call enqueued it)."""
    moment = now or timezone.now()
    if not cache.add(REQUEST_KEY, moment.isoformat(), int(DEBOUNCE.total_seconds()) * 20):
        return False
    from freshground.journal.tasks_ranking import rank_items

    try:
        task = rank_items
        if task.get_backend().supports_defer:
            task = task.using(run_after=moment + DEBOUNCE)
        task.enqueue()
    except Exception:
        cache.delete(REQUEST_KEY)
        logger.exception("Could not queue a journal ranking run")
        return False
    return True


def request_ranking_on_commit() -> None:
    transaction.on_commit(request_ranking)


def set_initial_hot(items: Iterable[Item]) -> None:
    """An item not yet ranked is placed by its freshness alone (and its picks)."""
    for item in items:
        item.hot_score = hot_score(item.bridging_score, item.pick_count, item.published_at)
