"""Similar campaigns: TF-IDF cosine over title and description, plus the same issue, plus a nearby place.

Pure Python and numpy, no database: `rank` takes the new campaign's description and the candidates' and returns them
ordered by a score in [0, 1]. The weights: text 0.6, same topic 0.25, place 0.15 (full within 25 km, fading to nothing
at 250 km; the same place name counts as near when neither has coordinates).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

TEXT_WEIGHT = 0.6
TOPIC_WEIGHT = 0.25
PLACE_WEIGHT = 0.15
NEAR_KM = 25.0
FAR_KM = 250.0
THRESHOLD = 0.12

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "our",
        "are",
        "that",
        "this",
        "from",
        "have",
        "will",
        "not",
        "all",
        "but",
        "they",
        "you",
        "your",
        "their",
        "about",
        "into",
        "more",
        "than",
        "against",
        "campaign",
        "campaigns",
        "stop",
        "save",
        "keep",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "how",
        "its",
        "it's",
        "was",
        "were",
        "been",
        "der",
        "die",
        "das",
        "und",
        "für",
        "mit",
        "les",
        "des",
        "pour",
        "une",
        "sur",
        "por",
        "los",
        "las",
        "con",
    ]
)


@dataclass(frozen=True)
class Doc:
    key: int
    text: str
    topic_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    place_name: str = ""


@dataclass(frozen=True)
class Match:
    key: int
    score: float
    text_score: float
    same_topic: bool
    distance_km: float | None


def words(text: str) -> list[str]:
    folded = text.lower()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    out = []
    for word in _WORD.findall(folded):
        if word in _STOP:
            continue
        # A crude stem so "cuts"/"cut", "closing"/"closure" meet more often.
        for suffix in ("ings", "ing", "ions", "ion", "es", "s"):
            if len(word) > len(suffix) + 3 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        out.append(word)
    return out


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def text_similarities(query: str, texts: Sequence[str]) -> np.ndarray:
    """Cosine similarity of the query to each text, on sublinear, smoothed TF-IDF vectors over query + texts.

    Sparse: each document is a dict of its words, so the cost grows with the words in the pool, not with the pool
    times the vocabulary."""
    docs = [Counter(words(query)), *(Counter(words(t)) for t in texts)]
    if not docs[0]:
        return np.zeros(len(texts))
    frequency: Counter[str] = Counter()
    for doc in docs:
        frequency.update(doc.keys())
    n = len(docs)
    idf = {w: math.log((1 + n) / (1 + df)) + 1.0 for w, df in frequency.items()}

    def vector(doc: Counter[str]) -> tuple[dict[str, float], float]:
        weights = {w: (1.0 + math.log(c)) * idf[w] for w, c in doc.items()}
        return weights, math.sqrt(sum(v * v for v in weights.values())) or 1.0

    q_weights, q_norm = vector(docs[0])
    out = np.zeros(len(texts))
    for i, doc in enumerate(docs[1:]):
        if not doc.keys() & q_weights.keys():
            continue
        weights, norm = vector(doc)
        out[i] = sum(q_weights[w] * weights[w] for w in q_weights.keys() & weights.keys()) / (q_norm * norm)
    return out


def place_score(new: Doc, other: Doc) -> tuple[float, float | None]:
    if None not in (new.latitude, new.longitude, other.latitude, other.longitude):
        km = distance_km(new.latitude, new.longitude, other.latitude, other.longitude)  # type: ignore[arg-type]
        if km <= NEAR_KM:
            return 1.0, km
        if km >= FAR_KM:
            return 0.0, km
        return 1.0 - (km - NEAR_KM) / (FAR_KM - NEAR_KM), km
    if new.place_name and other.place_name and new.place_name.strip().lower() == other.place_name.strip().lower():
        return 1.0, None
    return 0.0, None


def rank(new: Doc, candidates: Sequence[Doc], *, limit: int = 5, threshold: float = THRESHOLD) -> list[Match]:
    """The candidates most like `new`, best first, those scoring at least `threshold`."""
    if not candidates:
        return []
    texts = text_similarities(new.text, [c.text for c in candidates])
    matches = []
    for candidate, text_score in zip(candidates, texts, strict=True):
        same_topic = new.topic_id is not None and candidate.topic_id == new.topic_id
        near, km = place_score(new, candidate)
        score = TEXT_WEIGHT * float(text_score) + TOPIC_WEIGHT * same_topic + PLACE_WEIGHT * near
        # The topic or the place alone is not enough to call two campaigns alike: they must share some words.
        if text_score <= 0 and not (same_topic and near):
            continue
        if score >= threshold:
            matches.append(Match(candidate.key, round(score, 4), round(float(text_score), 4), same_topic, km))
    matches.sort(key=lambda m: (-m.score, m.key))
    return matches[:limit]
