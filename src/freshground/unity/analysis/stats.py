"""Tallies, Pol.is's proportion tests, representativeness (repness) and consensus (docs/unity-math.md, 10–13)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .matrix import Floats, Ints, VoteMatrix
from .types import Id, Representative, StatementStats


@dataclass(frozen=True)
class Tally:
    """Per statement: agree, disagree and seen (any vote, passes included) counts."""

    agree: Floats
    disagree: Floats
    seen: Floats

    @property
    def passed(self) -> Floats:
        return self.seen - self.agree - self.disagree


def tally(matrix: VoteMatrix, rows: Ints | None = None) -> Tally:
    """Counts over the given participant rows (all rows when None)."""
    m = matrix.shape[1]
    cols, values = matrix.cols, matrix.values
    if rows is not None:
        mask = np.zeros(matrix.shape[0], dtype=bool)
        mask[rows] = True
        cell = mask[matrix.rows]
        cols, values = cols[cell], values[cell]
    return Tally(
        np.bincount(cols, weights=(values > 0).astype(np.float64), minlength=m),
        np.bincount(cols, weights=(values < 0).astype(np.float64), minlength=m),
        np.bincount(cols, minlength=m).astype(np.float64),
    )


def p_success(successes: Floats, n: Floats) -> Floats:
    """Pseudo-counted probability (s + 1) / (n + 2)."""
    return (successes + 1.0) / (n + 2.0)


def prop_test(successes: Floats, n: Floats) -> Floats:
    """Pol.is prop-test: 2·sqrt(n + 1)·((s + 1)/(n + 1) − 0.5)."""
    return 2.0 * np.sqrt(n + 1.0) * ((successes + 1.0) / (n + 1.0) - 0.5)


def two_prop_test(succ_in: Floats, succ_out: Floats, pop_in: Floats, pop_out: Floats) -> Floats:
    """Pol.is two-prop-test: +1 on all four counts, then (p1 − p2)/sqrt(p̂(1 − p̂)(1/n1 + 1/n2)); 0 when p̂ = 1."""
    s1, s2, n1, n2 = succ_in + 1.0, succ_out + 1.0, pop_in + 1.0, pop_out + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    spread = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / np.sqrt(spread)
    return np.where((pooled >= 1.0) | (spread <= 0.0), 0.0, np.nan_to_num(z, posinf=0.0, neginf=0.0))


def statement_stats(statements: Sequence[Id], t: Tally) -> dict[Id, StatementStats]:
    pa, pd = p_success(t.agree, t.seen), p_success(t.disagree, t.seen)
    pat, pdt = prop_test(t.agree, t.seen), prop_test(t.disagree, t.seen)
    passed = t.passed
    return {
        s: StatementStats(
            statement=s,
            agree=int(t.agree[j]),
            disagree=int(t.disagree[j]),
            passed=int(passed[j]),
            p_agree=float(pa[j]),
            p_disagree=float(pd[j]),
            z_agree=float(pat[j]),
            z_disagree=float(pdt[j]),
        )
        for j, s in enumerate(statements)
    }


def representative(
    statements: Sequence[Id], group: Tally, rest: Tally, stats: dict[Id, StatementStats], *, z: float, keep: int
) -> tuple[Representative, ...]:
    """Pol.is select-rep-comments for one group against the rest of the groups."""
    na, nd, ns = group.agree, group.disagree, group.seen
    pa, pd = p_success(na, ns), p_success(nd, ns)
    pat, pdt = prop_test(na, ns), prop_test(nd, ns)
    ra = pa / p_success(rest.agree, rest.seen)
    rd = pd / p_success(rest.disagree, rest.seen)
    rat = two_prop_test(na, rest.agree, ns, rest.seen)
    rdt = two_prop_test(nd, rest.disagree, ns, rest.seen)

    def make(j: int, agree: bool) -> Representative:
        if agree:
            return Representative(
                statements[j], "agree", stats[statements[j]], float(ra[j]), float(rat[j]),
                float(ra[j] * rat[j] * pa[j] * pat[j]),
            )  # fmt: skip
        return Representative(
            statements[j], "disagree", stats[statements[j]], float(rd[j]), float(rdt[j]),
            float(rd[j] * rdt[j] * pd[j] * pdt[j]),
        )  # fmt: skip

    passing = [j for j in range(len(statements)) if (rat[j] > z and pat[j] > z) or (rdt[j] > z and pdt[j] > z)]
    finalized = [make(j, bool(rat[j] > rdt[j])) for j in passing]

    # best-agree: tracked over every statement with an agree or disagree vote
    best: int | None = None
    for j in range(len(statements)):
        if na[j] == 0 and nd[j] == 0:
            continue
        if best is None:
            if pat[j] > z or (ra[j] > 1.0 and pa[j] > 0.5):
                best = j
        elif ra[best] > 1.0:
            if ra[j] * rat[j] * pa[j] * pat[j] > ra[best] * rat[best] * pa[best] * pat[best]:
                best = j
        elif pa[j] * pat[j] > pa[best] * pat[best]:
            best = j

    if not finalized:
        if best is not None:
            return (make(best, True),)
        seen = [j for j in range(len(statements)) if ns[j] > 0]
        if not seen:
            return ()
        j = max(seen, key=lambda i: (max(float(rat[i]), float(rdt[i])), -i))
        return (make(j, bool(rat[j] > rdt[j])),)
    ranked = sorted(finalized, key=lambda r: -r.metric)
    if best is not None:
        ranked = [make(best, True)] + [r for r in ranked if r.statement != statements[best]]
    chosen = ranked[:keep]
    return tuple([r for r in chosen if r.direction == "agree"] + [r for r in chosen if r.direction == "disagree"])


def group_informed_consensus(groups: Sequence[Tally]) -> Floats:
    """Π over groups of (A_g + 1)/(S_g + 2)."""
    out = np.ones_like(groups[0].seen)
    for g in groups:
        out *= p_success(g.agree, g.seen)
    return out


def broad(
    statements: Sequence[Id], t: Tally, stats: dict[Id, StatementStats], *, z: float, keep: int, agree: bool
) -> tuple[StatementStats, ...]:
    """Pol.is consensus-stats over everyone: p > 0.5 and prop-test > z, by p·test, best first."""
    successes = t.agree if agree else t.disagree
    p, test = p_success(successes, t.seen), prop_test(successes, t.seen)
    chosen = [j for j in range(len(statements)) if p[j] > 0.5 and test[j] > z]
    chosen.sort(key=lambda j: (-float(p[j] * test[j]), j))
    return tuple(stats[statements[j]] for j in chosen[:keep])
