"""The whole analysis, step by step as in docs/unity-math.md."""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np

from . import clusters as cl
from . import stats as st
from .matrix import Floats, Ints, VoteMatrix, circle_matrix
from .pca import align_previous, pca
from .types import Analysis, Group, Id, Previous, Settings, StatementStats, Vote


def in_conversation(matrix: VoteMatrix, settings: Settings, previous: Previous | None) -> Ints:
    """Rows to cluster: ≥ min(min_votes, statements) votes, or clustered before; topped up with the most active
    voters to min_clustered. Sorted row indices."""
    counts = matrix.row_counts()
    threshold = min(settings.min_votes, matrix.shape[1])
    chosen = counts >= threshold
    if previous and previous.in_conversation:
        chosen |= np.fromiter((p in previous.in_conversation for p in matrix.participants), bool, len(counts))
    missing = settings.min_clustered - int(chosen.sum())
    if missing > 0:
        rest = np.flatnonzero(~chosen)
        rest = rest[np.argsort(-counts[rest], kind="stable")][:missing]
        chosen[rest] = True
    return np.flatnonzero(chosen)


def _groups(
    points: Floats, settings: Settings, previous: Previous | None
) -> tuple[Ints, Floats, Floats, dict[int, float], int | None, int, tuple[int, int] | None]:
    """Base clusters then groups. Returns (group index per point, group centres, base centres, silhouettes,
    best k, chosen k, smoother streak)."""
    if not len(points):
        return np.zeros(0, np.int64), np.zeros((0, 2)), np.zeros((0, 2)), {}, None, 0, None
    warm = np.asarray(previous.base_centres, dtype=np.float64).reshape(-1, 2) if previous else np.zeros((0, 2))
    warm = warm[np.isfinite(warm).all(1)][: settings.base_k]
    init = np.concatenate([warm, cl.first_distinct(points, settings.base_k - len(warm), exclude=warm)])
    base, base_of = cl.kmeans(points, init, iterations=cl.BASE_ITERATIONS)
    weights = np.bincount(base_of, minlength=len(base)).astype(np.float64)
    occupied = weights > 0
    if not occupied.all():  # a warm centre nobody is nearest to any more
        base, weights = base[occupied], weights[occupied]
        base_of = (np.cumsum(occupied) - 1)[base_of]
    previous_centres = None
    if previous and previous.group_centres:
        previous_centres = np.asarray(list(previous.group_centres.values()), dtype=np.float64)
    clusterings, scores = cl.group_clusterings(
        base, weights, settings_max_k=settings.max_k, seed=settings.seed, previous_centres=previous_centres
    )
    if not clusterings:  # everyone in the same place (or a single base cluster): one group
        return np.zeros(len(points), np.int64), points.mean(0, keepdims=True), base, {}, None, 1, None
    best = max(scores, key=lambda k: (scores[k], -k))
    k, streak = cl.smooth_k(
        best, previous.k if previous else None, previous.best_k_streak if previous else None,
        settings.k_smoother_updates,
    )  # fmt: skip
    if k not in clusterings:
        k = best
    chosen = clusterings[k]
    group_of = chosen.base_labels[base_of]
    return group_of, chosen.centres, base, scores, best, k, streak


def _analyse_matrix(
    matrix: VoteMatrix,
    settings: Settings,
    previous: Previous | None,
    *,
    tally_matrix: VoteMatrix | None = None,
    tally_rows: Mapping[int, Sequence[int]] | None = None,
    moderated_out: Collection[Id] = frozenset(),
) -> Analysis:
    """The analysis of a matrix. For circles, `tally_matrix` holds the people's votes and `tally_rows` each unit's
    people rows there: counts come from people, positions and groups from the units."""
    n = matrix.shape[0]
    previous_components = (
        align_previous(previous.components, previous.component_statements, matrix.statements) if previous else None
    )
    zeroed = np.fromiter((s in moderated_out for s in matrix.statements), bool, len(matrix.statements))
    fit = pca(matrix, previous=previous_components, seed=settings.seed, zeroed=zeroed)
    rows = in_conversation(matrix, settings, previous)
    group_of, centres, base, scores, best, k, streak = _groups(fit.positions[rows], settings, previous)
    sizes = [int((group_of == g).sum()) for g in range(len(centres))]
    labels = cl.stable_labels(centres, sizes, previous.group_centres if previous else {}) if len(centres) else []

    people = tally_matrix if tally_matrix is not None else matrix
    if zeroed.any() and tally_matrix is None:
        people = matrix.without_columns(zeroed)

    def people_rows(unit_rows: Ints) -> Ints:
        if tally_rows is None:
            return unit_rows
        picked = [r for u in unit_rows.tolist() for r in tally_rows.get(u, ())]
        return np.unique(np.asarray(picked, dtype=np.int64))

    statements = people.statements
    overall_tally = st.tally(people, people_rows(np.arange(n)) if tally_rows is not None else None)
    overall = st.statement_stats(statements, overall_tally)
    group_tallies = [st.tally(people, people_rows(rows[group_of == g])) for g in range(len(centres))]
    group_stats = [st.statement_stats(statements, t) for t in group_tallies]
    order = sorted(range(len(centres)), key=lambda g: labels[g])
    groups = []
    for g in order:
        if len(centres) > 1:
            rest = st.Tally(
                sum((t.agree for h, t in enumerate(group_tallies) if h != g), np.zeros(len(statements))),
                sum((t.disagree for h, t in enumerate(group_tallies) if h != g), np.zeros(len(statements))),
                sum((t.seen for h, t in enumerate(group_tallies) if h != g), np.zeros(len(statements))),
            )
            reps = st.representative(
                statements, group_tallies[g], rest, group_stats[g],
                z=settings.significance_z, keep=settings.max_representative,
            )  # fmt: skip
        else:
            reps = ()  # no "rest" to be representative against
        members = tuple(matrix.participants[r] for r in rows[group_of == g].tolist())
        groups.append(Group(labels[g], members, (float(centres[g][0]), float(centres[g][1])), reps, group_stats[g]))

    if group_tallies:
        gic = st.group_informed_consensus(group_tallies)
        ranking = sorted(range(len(statements)), key=lambda j: (-float(gic[j]), j))
        consensus = tuple((statements[j], float(gic[j])) for j in ranking)
    else:
        consensus = ()
    z, keep = settings.significance_z, settings.max_consensus
    return Analysis(
        settings=settings,
        participants=n,
        clustered=tuple(matrix.participants[r] for r in rows.tolist()),
        statements=len(statements),
        votes=int(people.values.size),
        positions=_points(matrix.participants, fit.positions),
        statement_positions=_points(
            [s for s, z in zip(matrix.statements, zeroed.tolist(), strict=True) if not z],
            fit.statement_positions[~zeroed],
        ),
        groups=tuple(groups),
        consensus=consensus,
        broad_agreement=st.broad(statements, overall_tally, overall, z=z, keep=keep, agree=True),
        broad_disagreement=st.broad(statements, overall_tally, overall, z=z, keep=keep, agree=False),
        overall=overall,
        previous=Previous(
            in_conversation=frozenset(matrix.participants[r] for r in rows.tolist()),
            group_centres={labels[g]: (float(c[0]), float(c[1])) for g, c in enumerate(centres.tolist())},
            k=k or None,
            best_k_streak=streak,
            components=fit.components.tolist(),
            component_statements=list(matrix.statements),
            base_centres=tuple((float(x), float(y)) for x, y in base.tolist()),
        ),
        silhouettes=scores,
        k_best=best,
    )


def analyse(
    votes: Iterable[Vote],
    *,
    settings: Settings = Settings(),  # noqa: B008  # frozen, so a shared default is safe
    previous: Previous | None = None,
    circles: Mapping[Id, Sequence[Id]] | None = None,
    moderated_out: Collection[Id] = frozenset(),
) -> Analysis:
    """The Pol.is analysis of the votes, plus (when circles are given: participant → their circles) the same analysis
    with circles as the unit in `circle_analysis` and each circle's tallies in `circle_votes`.

    `moderated_out`: statements moderated out after people voted on them. Pol.is keeps them as a zero column (their
    votes still count towards joining the conversation and the projection's scale) and reports nothing about them.
    Without it, pass only the votes on statements that are in."""
    started = time.perf_counter()
    matrix = VoteMatrix.from_votes(votes)
    result = _analyse_matrix(matrix, settings, previous, moderated_out=moderated_out)
    if circles:
        kept = matrix
        if moderated_out:
            kept = matrix.without_columns(
                np.fromiter((s in moderated_out for s in matrix.statements), bool, len(matrix.statements))
            )
        circle_result, circle_votes = analyse_circles(
            kept, circles, settings=settings, previous=previous.circles if previous else None
        )
        result = _replace(
            result,
            circle_analysis=circle_result,
            circle_votes=circle_votes,
            previous=_replace_previous(result.previous, circle_result.previous),
        )
    return _replace(result, seconds=time.perf_counter() - started)


def analyse_circles(
    matrix: VoteMatrix, circles: Mapping[Id, Sequence[Id]], *, settings: Settings, previous: Previous | None
) -> tuple[Analysis, dict[Id, dict[Id, StatementStats]]]:
    """Circles as the unit: each circle's point is its members' average votes; groups are groups of circles; counts
    (tallies, repness, consensus) are their members' votes."""
    units, members = circle_matrix(matrix, circles)
    unit_rows = {i: members[c] for i, c in enumerate(units.participants)}
    result = _analyse_matrix(units, settings, previous, tally_matrix=matrix, tally_rows=unit_rows)
    per_circle = {
        c: st.statement_stats(matrix.statements, st.tally(matrix, np.asarray(rows, dtype=np.int64)))
        for c, rows in members.items()
    }
    return result, per_circle


def _points(ids: Sequence[Id], points: Floats) -> dict[Id, tuple[float, float]]:
    return {i: (float(x), float(y)) for i, (x, y) in zip(ids, points.tolist(), strict=True)}


def _replace(analysis: Analysis, **changes: object) -> Analysis:
    from dataclasses import replace

    return replace(analysis, **changes)  # type: ignore[arg-type]


def _replace_previous(previous: Previous, circles: Previous) -> Previous:
    from dataclasses import replace

    return replace(previous, circles=circles)
