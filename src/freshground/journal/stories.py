"""Stories: the same news reported by several outlets, grouped by near-duplicate detection.

Why SimHash (with an exact check) rather than MinHash/LSH: one 64-bit number per item, which fits the columns we
already keep (Entry and Story carry a `simhash`), costs one pass over the words, and is compared with one XOR and a
popcount; MinHash needs a hundred or more values per item and a band table of its own. SimHash on short texts is
noisy, though (measured on planted data below: re-published versions land 2-11 bits from the original, different
strikes told in the same template words 15-25 bits apart), so it only *finds candidates*; the decision is an exact
Jaccard similarity of the two texts' word and word-pair sets (near versions >= 0.83, different strikes <= 0.47 on
the same data; we join at >= ``MIN_JACCARD``). Precision comes first: two different strikes reported in the same
words ("workers strike over pay at ...") must stay apart; a headline rewritten from scratch is a different text and
stays a story of its own.

The fingerprint: title and summary normalised (Unicode NFKC, case-folded, punctuation, an outlet's name after
"|" or " - " in a headline, "The post ... appeared first on ..." and "Read more" dropped, common function words
dropped in a few languages); features are words and adjacent word pairs; each feature hashed to 64 bits with
BLAKE2b; a SimHash bit is set where the weighted votes are positive.

Lookup: an item joins a recent story (``WINDOW_DAYS`` around its date) whose lead is within ``MAX_DISTANCE`` bits
and similar enough. The 64 bits are cut into four 16-bit bands, each in an indexed column of the story. With at
most 11 differing bits, some band differs in at most two (pigeonhole), so asking the database for stories whose
band i is within two bits of ours (137 values per band, one query on four indexes) finds every candidate; a random
story passes with probability 548/65536, and the few candidates are checked here. Comparing with the lead only
and the founder's fingerprint (never every member's) keeps chains of small edits from drifting into another story.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from freshground.core.bulk import insert_many
from freshground.journal.models import Entry, Item, Story

MAX_DISTANCE = 11
MIN_JACCARD = 0.6
WINDOW_DAYS = 7
BANDS = 4
BAND_BITS = 16
MIN_FEATURES = 4  # texts shorter than this are not matched (a title of two words would match far too much)

_WORD = re.compile(r"\w+", re.UNICODE)
# What feeds add to summaries that says nothing about the news.
_BOILERPLATE = re.compile(
    r"\bthe post\b.{0,300}?\bappeared first on\b.{0,200}$|\bcontinue reading\b.{0,100}$|\bread more\b.{0,40}$"
    r"|\[(?:…|\.\.\.)\]",
    re.IGNORECASE,
)
_STOPWORD_TEXT = (
    # English
    "a an the and or but of to in on at by for with from as is are was were be been it its this that these those "
    "has have had not no will would can could says said after over into about than up out new "
    # Spanish, Portuguese, Italian
    "el la los las un una unos unas y o de del al en por para con que se es son fue su sus lo como da do dos das "
    "e il i gli le di per che non "
    # German, Dutch
    "der die das den dem des ein eine einer und oder zu im am mit von auf für ist sind war nicht sich het een van "
    "en op voor met "
    # French
    "le les une des du et ou à au aux pour par sur dans est sont pas qui ce"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# "Headline | Site name", "Headline – Site": the outlet's name says nothing about the news.
_SITE_SUFFIX = re.compile(r"\s+(?:\||–|—|-)\s+(?:\S+\s+){0,3}\S+\s*$")
_MASK_64 = (1 << 64) - 1


def normalised_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold()
    return [w for w in _WORD.findall(text) if w not in STOPWORDS and (len(w) >= 4 or not w.isdigit())]


def features(title: str, summary: str) -> dict[str, int]:
    """The features of an item with their counts: words and adjacent word pairs of its title and summary."""
    weights: dict[str, int] = {}
    for text in (_SITE_SUFFIX.sub("", title), _BOILERPLATE.sub(" ", summary)):
        words = normalised_words(text)
        for word in words:
            weights[word] = weights.get(word, 0) + 1
        for first, second in itertools.pairwise(words):
            pair = first + " " + second
            weights[pair] = weights.get(pair, 0) + 1
    return weights


def _jaccard(first: AbstractSet[str], second: AbstractSet[str]) -> float:
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def similarity(a: tuple[str, str], b: tuple[str, str]) -> float:
    """Jaccard similarity of two (title, summary) texts' feature sets."""
    return _jaccard(features(*a).keys(), features(*b).keys())


def _feature_hash(feature: str) -> int:
    return int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little")


# Single words recur across texts far more than word pairs (a language's few thousand common words make most of any
# text), so their hashes are worth remembering; pairs are hashed each time.
_word_hash = lru_cache(maxsize=1 << 15)(_feature_hash)


def _hashes(weighted: dict[str, int]) -> Iterator[int]:
    for feature in weighted:
        yield _feature_hash(feature) if " " in feature else _word_hash(feature)


def simhash(title: str, summary: str = "") -> int | None:
    """The 64-bit SimHash (unsigned) of a title and summary; None when there is too little text to match on."""
    return simhashes([(title, summary)])[0]


def simhashes(texts: Sequence[tuple[str, str]]) -> list[int | None]:
    """``simhash`` of many (title, summary) texts, with one pass of array arithmetic over all their features."""
    weighted = [features(title, summary) for title, summary in texts]
    kept = [n for n, counts in enumerate(weighted) if len(counts) >= MIN_FEATURES]
    result: list[int | None] = [None] * len(texts)
    if not kept:
        return result
    sizes = [len(weighted[n]) for n in kept]
    total = sum(sizes)
    hashes = np.fromiter(
        itertools.chain.from_iterable(_hashes(weighted[n]) for n in kept), dtype=np.uint64, count=total
    )
    weights = np.fromiter(
        itertools.chain.from_iterable(weighted[n].values() for n in kept), dtype=np.int64, count=total
    )
    bits = np.unpackbits(hashes.astype("<u8", copy=False).view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    signed_votes = weights[:, None] * (2 * bits.astype(np.int64) - 1)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    votes = np.add.reduceat(signed_votes, starts, axis=0)  # one row of 64 sums per text
    packed = np.packbits(votes > 0, axis=1, bitorder="little").view("<u8").ravel()
    for n, value in zip(kept, packed.tolist(), strict=True):
        result[n] = int(value)
    return result


def to_signed(value: int) -> int:
    """An unsigned 64-bit value as the signed one a BigIntegerField stores."""
    return value - (1 << 64) if value >= 1 << 63 else value


def to_unsigned(value: int) -> int:
    return value & _MASK_64


def distance(a: int, b: int) -> int:
    return ((a ^ b) & _MASK_64).bit_count()


def bands(value: int) -> list[int]:
    """The four 16-bit bands of an (unsigned or signed) 64-bit value, low bits first."""
    value = to_unsigned(value)
    return [(value >> (BAND_BITS * i)) & 0xFFFF for i in range(BANDS)]


def item_simhash(item: Item) -> int | None:
    entry = item._state.fields_cache.get("entry") if item.entry_id else None
    if isinstance(entry, Entry) and entry.simhash is not None and getattr(entry, "_simhash_fresh", False):
        return to_unsigned(entry.simhash)  # computed by ingest from the same title and summary a moment ago
    return simhash(item.title, item.summary)


def _set_fingerprint(story: Story, value: int | None) -> None:
    story.simhash = to_signed(value) if value is not None else None
    story_bands = bands(value) if value is not None else [None] * BANDS
    story.band_0, story.band_1, story.band_2, story.band_3 = story_bands


_FLIPS = [0] + [1 << i for i in range(BAND_BITS)] + [(1 << i) | (1 << j) for i in range(BAND_BITS) for j in range(i)]


def probes(band: int) -> list[int]:
    """The band itself and the 136 values one or two bits away from it."""
    return [band ^ flip for flip in _FLIPS]


def _near_story_rows(values: list[int], *, since: datetime, until: datetime) -> list[tuple[int, int]]:
    """(id, fingerprint) of stories seen between ``since`` and ``until`` that share a band, give or take two bits,
    with any of ``values``.

    One query: four indexed band columns, each asked for the 137 values within two bits of each fingerprint's band.
    Written as SQL because building such a filter through the ORM costs more than running it."""
    table = connection.ops.quote_name(Story._meta.db_table)
    clauses: list[str] = []
    params: list[Any] = []
    for number in range(BANDS):
        wanted = sorted({probe for value in values for probe in probes(bands(value)[number])})
        clauses.append(f"band_{number} IN ({', '.join(['%s'] * len(wanted))})")
        params.extend(wanted)
    sql = (
        f"SELECT id, simhash FROM {table} WHERE ({' OR '.join(clauses)}) "  # noqa: S608 - only %s parameters are joined in
        "AND last_seen_at >= %s AND first_seen_at <= %s"
    )
    adapt = connection.ops.adapt_datetimefield_value
    params.extend([adapt(since), adapt(until)])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(pk, fingerprint) for pk, fingerprint in cursor.fetchall() if fingerprint is not None]


def _near_story_ids(value: int, *, around: datetime) -> list[int]:
    """Ids of stories in the window around ``around`` whose fingerprint is within MAX_DISTANCE bits of ``value``."""
    window = timedelta(days=WINDOW_DAYS)
    rows = _near_story_rows([value], since=around - window, until=around + window)
    return [pk for pk, fingerprint in rows if distance(value, fingerprint) <= MAX_DISTANCE]


def candidates(value: int, text: tuple[str, str], *, around: datetime) -> list[Story]:
    """Stories of the window around ``around`` whose fingerprint is near ``value`` and whose lead is similar to
    ``text``, best first."""
    ids = _near_story_ids(value, around=around)
    if not ids:
        return []
    found: list[tuple[float, Story]] = []
    for story in Story.objects.filter(pk__in=ids).select_related("lead"):
        if story.lead is None:
            continue
        score = similarity(text, (story.lead.title, story.lead.summary))
        if score >= MIN_JACCARD:
            found.append((score, story))
    found.sort(key=lambda pair: (-pair[0], -pair[1].item_count))
    return [story for _, story in found]


def _leave(item: Item, story_id: int) -> None:
    """Take ``item`` out of its story: the story's count drops; a new lead is chosen, or the story goes."""
    story = Story.objects.select_for_update().filter(pk=story_id).first()
    item.story = None
    Item.objects.filter(pk=item.pk).update(story=None)
    if story is None:
        return
    rest = Item.objects.filter(story=story).order_by("published_at", "id")
    lead = rest.select_related("entry").first()
    if lead is None:
        story.delete()
        return
    story.item_count = rest.count()
    if story.lead_id == item.pk:
        story.lead = lead
        story.title = lead.title
        _set_fingerprint(story, item_simhash(lead))
    story.save()


def _still_belongs(item: Item, value: int, story: Story) -> bool:
    """After an edit: is ``item`` still the same news as the rest of its story?"""
    text = (item.title, item.summary)
    if story.lead_id != item.pk:
        lead = story.lead
        return (
            lead is not None
            and story.simhash is not None
            and distance(value, story.simhash) <= MAX_DISTANCE
            and similarity(text, (lead.title, lead.summary)) >= MIN_JACCARD
        )
    # The lead itself changed: compare with the next member, if any.
    other = Item.objects.filter(story=story).exclude(pk=item.pk).order_by("published_at", "id").first()
    if other is None:
        return True
    other_value = item_simhash(other)
    return (
        other_value is not None
        and distance(value, other_value) <= MAX_DISTANCE
        and similarity(text, (other.title, other.summary)) >= MIN_JACCARD
    )


def _join(item: Item, story: Story, seen: datetime) -> Story:
    """Add ``item`` to ``story``: count, dates, and the lead if ``item`` was published earlier."""
    Story.objects.filter(pk=story.pk).update(
        item_count=F("item_count") + 1,
        last_seen_at=Greatest(F("last_seen_at"), seen),
        first_seen_at=Least(F("first_seen_at"), seen),
    )
    story.refresh_from_db()
    Item.objects.filter(pk=item.pk).update(story=story)
    item.story = story
    lead = story.lead
    if lead is None or seen < lead.published_at:
        # The earlier report leads; the fingerprint stays the founder's, so the story does not drift.
        story.lead = item
        story.title = item.title
        story.save(update_fields=["lead", "title"])
    return story


def assign_story(item: Item) -> Story | None:
    """Put ``item`` into the story it belongs to: a recent story whose lead is near in SimHash, or a new story of
    its own. Keeps the story's lead (the earliest published item), item count and last-seen time.

    Returns the story, or None when the item has too little text to fingerprint (it then stands alone)."""
    value = item_simhash(item)
    seen = item.published_at or timezone.now()
    with transaction.atomic():
        if item.story_id is not None:
            current = Story.objects.select_related("lead").filter(pk=item.story_id).first()
            if current is not None and value is not None and _still_belongs(item, value, current):
                if current.lead_id == item.pk:
                    current.title = item.title
                if current.item_count <= 1:
                    _set_fingerprint(current, value)
                current.last_seen_at = max(current.last_seen_at, seen)
                current.save()
                return current
            _leave(item, item.story_id)
        if value is None:
            return None
        found = candidates(value, (item.title, item.summary), around=seen)
        if found:
            return _join(item, found[0], seen)
        story = Story(title=item.title, lead=item, item_count=1, first_seen_at=seen, last_seen_at=seen)
        _set_fingerprint(story, value)
        story.save()
        Item.objects.filter(pk=item.pk).update(story=story)
        item.story = story
        return story


PROBES_PER_ITEM = BANDS * len(_FLIPS)  # index probes one banded lookup costs (548)


def _near_stored_stories(values: dict[int, int], items: list[Item]) -> dict[int, list[int]]:
    """For each of ``items`` (by pk; ``values`` their fingerprints) that has any, the ids of stored stories within
    MAX_DISTANCE bits (those of its own window are kept by the caller).

    Two ways, whichever reads less: the batch's window of fingerprints read once and compared in numpy (when the
    window holds fewer stories than the banded lookups would probe: 548 per item, ≈ 27,000 stories for a 50-entry
    feed), or one banded lookup per item."""
    window = timedelta(days=WINDOW_DAYS)
    since = min(i.published_at for i in items) - window
    until = max(i.published_at for i in items) + window
    limit = PROBES_PER_ITEM * len(items)
    rows = list(
        Story.objects.filter(last_seen_at__gte=since, first_seen_at__lte=until, simhash__isnull=False).values_list(
            "pk", "simhash"
        )[: limit + 1]
    )
    near: dict[int, list[int]] = {}
    if len(rows) <= limit:
        if not rows:
            return near
        ids = np.array([pk for pk, _ in rows], dtype=np.int64)
        stored = np.array([to_unsigned(value or 0) for _, value in rows], dtype=np.uint64)  # never None: filtered
        for item in items:
            close = np.flatnonzero(np.bitwise_count(stored ^ np.uint64(values[item.pk])) <= MAX_DISTANCE)
            if close.size:
                near[item.pk] = ids[close].tolist()
        return near
    for item in items:
        found = _near_story_ids(values[item.pk], around=item.published_at)
        if found:
            near[item.pk] = found
    return near


def _join_many(story: Story, members: list[Item]) -> None:
    """``_join`` for several items of one batch at once: one update of the story, one of the items."""
    first = min(members, key=lambda m: (m.published_at, m.pk or 0))
    Story.objects.filter(pk=story.pk).update(
        item_count=F("item_count") + len(members),
        last_seen_at=Greatest(F("last_seen_at"), max(m.published_at for m in members)),
        first_seen_at=Least(F("first_seen_at"), first.published_at),
    )
    Item.objects.filter(pk__in=[m.pk for m in members]).update(story=story)
    for member in members:
        member.story = story
    lead = story.lead
    if lead is None or first.published_at < lead.published_at:
        # The earlier report leads; the fingerprint stays the founder's, so the story does not drift.
        Story.objects.filter(pk=story.pk).update(lead=first, title=first.title)


def assign_stories(items: Iterable[Item]) -> None:
    """``assign_story`` for many items at once (one feed's), in order of publication so the earliest report leads.

    Stored stories near any item are found with one read of the window and fetched in one query; items that report
    the same news as another of the batch are matched to it in memory first; items that join a stored story are
    written with one update per story, and new stories are created in bulk at the end."""
    ordered = sorted(items, key=lambda i: (i.published_at, i.pk or 0))
    values: dict[int, int] = {}
    fresh: list[Item] = []
    for item in ordered:
        if item.story_id is None:
            value = item_simhash(item)
            if value is not None:
                values[item.pk] = value
                fresh.append(item)
    near = _near_stored_stories(values, fresh) if fresh else {}
    stored: dict[int, Story] = {}
    if near:
        wanted = {pk for ids in near.values() for pk in ids}
        stored = {story.pk: story for story in Story.objects.filter(pk__in=wanted).select_related("lead")}
    known: dict[tuple[str, str], AbstractSet[str]] = {}

    def cached_similarity(a: tuple[str, str], b: tuple[str, str]) -> float:
        """`similarity`, each text's features worked out once per batch."""
        for text in (a, b):
            if text not in known:
                known[text] = features(*text).keys()
        return _jaccard(known[a], known[b])

    window = timedelta(days=WINDOW_DAYS)
    joining: dict[int, list[Item]] = {}
    pending: list[tuple[int, tuple[str, str], Story, list[Item]]] = []  # fingerprint, lead's text, story, items
    for item in ordered:
        if item.story_id is not None:
            assign_story(item)
            continue
        if item.pk not in values:
            continue
        value = values[item.pk]
        text = (item.title, item.summary)
        seen = item.published_at
        joined = False
        for fingerprint, lead_text, story, members in pending:
            if distance(value, fingerprint) <= MAX_DISTANCE and cached_similarity(text, lead_text) >= MIN_JACCARD:
                members.append(item)
                story.item_count += 1
                story.last_seen_at = max(story.last_seen_at, seen)
                joined = True
                break
        if joined:
            continue
        best: Story | None = None
        best_score: tuple[float, int] = (0.0, 0)
        for pk in near.get(item.pk, []):
            candidate = stored.get(pk)
            if candidate is None or candidate.lead is None:
                continue
            if candidate.last_seen_at < seen - window or candidate.first_seen_at > seen + window:
                continue  # outside this item's own window
            similar = cached_similarity(text, (candidate.lead.title, candidate.lead.summary))
            if similar < MIN_JACCARD:
                continue
            score = (similar, candidate.item_count + len(joining.get(pk, [])))
            if best is None or score > best_score:
                best, best_score = candidate, score
        if best is not None:
            joining.setdefault(best.pk, []).append(item)
            continue
        story = Story(title=item.title, lead=item, item_count=1, first_seen_at=seen, last_seen_at=seen)
        _set_fingerprint(story, value)
        pending.append((value, text, story, [item]))
    # In the order of the stories' ids: two feeds' ingests that join the same stories lock them in the same order
    # and wait for each other instead of deadlocking (PostgreSQL, fetch threads in parallel).
    for pk in sorted(joining):
        _join_many(stored[pk], joining[pk])
    if not pending:
        return
    insert_many([story for _, _, story, _ in pending])
    # Each new story's lead is the item that founded it: one statement sets all their stories.
    leads = [story.lead_id for _, _, story, _ in pending if story.lead_id is not None]
    Item.objects.filter(pk__in=leads).update(
        story=Subquery(Story.objects.filter(lead=OuterRef("pk")).order_by("-pk").values("pk")[:1])
    )
    for _, _, story, members in pending:
        for member in members:
            member.story = story
        followers = [m.pk for m in members[1:]]
        if followers:
            Item.objects.filter(pk__in=followers).update(story=story)
