"""Mean-filled PCA to two components and Pol.is's sparsity-aware projection (docs/unity-math.md, steps 3–5)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .matrix import Floats, Ints, VoteMatrix
from .types import Id

GRAM_MAX_STATEMENTS = 2500  # up to this many statements: exact eigendecomposition of the statements' Gram matrix
BLOCK_CELLS = 4_000_000  # dense row blocks of at most this many cells (32 MB) bound the memory
SUBSPACE_ITERATIONS = 300
SUBSPACE_TOLERANCE = 1e-10


@dataclass(frozen=True)
class Pca:
    centre: Floats  # column means of the votes given (= of the mean-filled matrix)
    components: Floats  # 2 × statements, unit rows (a zero row when there is no second direction of variance)
    positions: Floats  # participants × 2, scaled by sqrt(statements / own votes)
    statement_positions: Floats  # statements × 2: a virtual participant who only agreed with the statement


def _iter_blocks(matrix: VoteMatrix, centred: Floats) -> Iterator[Floats]:
    """Dense centred row blocks of at most BLOCK_CELLS cells."""
    n, m = matrix.shape
    step = max(1, BLOCK_CELLS // max(m, 1))
    order = np.argsort(matrix.rows, kind="stable")
    bounds = np.arange(0, n + step, step).clip(max=n)
    starts = np.searchsorted(matrix.rows[order], bounds)
    for b in range(len(bounds) - 1):
        a, stop = int(bounds[b]), int(bounds[b + 1])
        if stop <= a:
            continue
        cells = order[starts[b] : starts[b + 1]]
        block = np.zeros((stop - a, m))
        block[matrix.rows[cells] - a, matrix.cols[cells]] = centred[cells]
        yield block


def _top_two(matrix: VoteMatrix, centred: Floats, start: Floats | None, seed: int) -> Floats:
    """The two leading right singular vectors of the centred matrix (rows of a 2 × m array)."""
    m = matrix.shape[1]
    if m <= GRAM_MAX_STATEMENTS:
        gram = np.zeros((m, m))
        for block in _iter_blocks(matrix, centred):
            gram += block.T @ block
        values, vectors = np.linalg.eigh(gram)
        top = vectors[:, ::-1][:, :2].T.copy()
        top[values[::-1][:2] <= 1e-9 * max(values[-1], 1e-300)] = 0.0
        return _pad(top, m)
    # many statements: block subspace iteration, warm-started from the previous components
    width = min(m, 8)
    rng = np.random.default_rng(seed)
    basis = rng.standard_normal((m, width))
    if start is not None:
        basis[:, : start.shape[0]] = start.T + 1e-6 * basis[:, : start.shape[0]]
    basis, _ = np.linalg.qr(basis)
    previous = basis[:, :2]
    for _ in range(SUBSPACE_ITERATIONS):
        product = np.zeros_like(basis)
        for block in _iter_blocks(matrix, centred):
            product += block.T @ (block @ basis)
        small = basis.T @ product
        values, vectors = np.linalg.eigh((small + small.T) / 2)
        basis, _ = np.linalg.qr(product @ vectors[:, ::-1])
        current = basis[:, :2]
        if np.linalg.norm(current @ (current.T @ previous) - previous) < SUBSPACE_TOLERANCE:
            break
        previous = current
    top = basis[:, :2].T.copy()
    top[values[::-1][:2] <= 1e-9 * max(values[-1], 1e-300)] = 0.0
    return _pad(top, m)


def _pad(top: Floats, m: int) -> Floats:
    out = np.zeros((2, m))
    out[: top.shape[0]] = top
    return out


def align_previous(
    previous: Sequence[Sequence[float]] | None, previous_statements: Sequence[Id] | None, statements: Sequence[Id]
) -> Floats | None:
    """The previous components laid out on today's statements (missing statements 0), or None."""
    if not previous or len(previous) < 2:
        return None
    try:
        rows = np.asarray([list(previous[0]), list(previous[1])], dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if previous_statements is not None and len(previous_statements) == rows.shape[1]:
        index = {s: i for i, s in enumerate(previous_statements)}
        out = np.zeros((2, len(statements)))
        for j, s in enumerate(statements):
            i = index.get(s)
            if i is not None:
                out[:, j] = rows[:, i]
        return out if np.isfinite(out).all() else None
    if rows.shape[1] == len(statements) and np.isfinite(rows).all():
        return rows
    return None


def fix_signs(components: Floats, previous: Floats | None) -> Floats:
    """Deterministic signs: continuity with the previous components where they overlap, otherwise the loading of
    largest magnitude is positive (ties: the first statement)."""
    components = components.copy()
    for k in range(2):
        comp = components[k]
        if not comp.any():
            continue
        dot = float(comp @ previous[k]) if previous is not None else 0.0
        if abs(dot) > 1e-12:
            if dot < 0:
                components[k] = -comp
            continue
        if comp[int(np.argmax(np.abs(comp)))] < 0:
            components[k] = -comp
    return components


def pca(
    matrix: VoteMatrix, *, previous: Floats | None = None, seed: int = 0, zeroed: NDArray[np.bool_] | None = None
) -> Pca:
    """`zeroed` marks moderated-out statements: as in Pol.is, their column is 0 for everyone (so it adds no variance)
    and counts as a vote of every participant in the projection's scale."""
    n, m = matrix.shape
    counts = np.bincount(matrix.cols, minlength=m)
    centre = np.bincount(matrix.cols, weights=matrix.values, minlength=m) / np.maximum(counts, 1)
    centred = matrix.values - centre[matrix.cols]  # the mean-filled, centred matrix is zero on missing cells
    own_votes: Ints = matrix.row_counts()
    if zeroed is not None and zeroed.any():
        centre = np.where(zeroed, 0.0, centre)
        cell_zeroed = zeroed[matrix.cols]
        centred = np.where(cell_zeroed, 0.0, centred)
        own_votes = np.bincount(matrix.rows[~cell_zeroed], minlength=n) + int(zeroed.sum())
    components = fix_signs(_top_two(matrix, centred, previous, seed), previous) if n and m else np.zeros((2, m))
    scale = np.sqrt(m / np.maximum(own_votes, 1))
    positions = np.empty((n, 2))
    for k in range(2):
        positions[:, k] = np.bincount(matrix.rows, weights=centred * components[k, matrix.cols], minlength=n) * scale
    statement_positions = ((1.0 - centre) * components * np.sqrt(m)).T  # one agree vote, scale sqrt(m / 1)
    return Pca(centre, components, np.nan_to_num(positions), np.nan_to_num(statement_positions))
