"""Best-fit placement of a student's credits into the categories of one curriculum.

The guide's legacy engine tried "all possible configurations"; here the placement is an
optimisation with two lexicographic goals: first the most units completed, then the highest
core GPA among those placements.

Model (units are counted in half-unit *pieces*):

* a credit may be placed in at most one category, through one set of it (an ``Option``);
* in that category it contributes up to ``pieces`` (its earned units, capped by the set
  course's units allowed); a category counts at most its required units (the excess of a
  two-unit course in an almost full category is simply not counted);
* whole units stand alone; a lone half (a 0.5-credit course, or a course whose other part is
  missing) only counts paired with another half of the same ``group`` (the same set, and the
  same level: college-level halves never pair with high-school ones), or as the last half unit
  of a category whose requirement ends in .5.

The usual instance is solved exactly as a max-weight assignment of *rows* (one unit of a
credit, or two halves of one group pre-paired best-first) to the unit slots of the categories
(``scipy.optimize.linear_sum_assignment``).  Pre-pairing halves is exact only when each half
can go to a single group and every requirement is a whole number of units, and spreading a
multi-unit credit's rows is only harmless when it fits a single category; instances outside
those conditions are solved exactly as a small integer program (``scipy.optimize.milp``).

The GPA goal is a ratio (P and E count for units but not for GPA), so it is maximised with
Dinkelbach's method: maximise sum(units x (points - lambda)) and move lambda to the GPA found
until it stops rising.  Without P/E credits the first solve is already exact, because the
units completed (the denominator) are fixed by the first goal.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

# numpy and scipy (~75 MB resident) are imported by the two solvers only, when a student has
# options to place: a worker that only exports or uploads never loads them.

UNIT_VALUE = 1000.0  # worth of one unit completed; larger than any GPA difference a unit makes
FORBIDDEN = -1e9
_EPS = 1e-9


@dataclass(frozen=True)
class Option:
    """Credit ``item`` can count up to ``pieces`` half units in ``category`` via ``group``."""

    item: int
    category: int
    group: Hashable
    pieces: int


@dataclass(frozen=True)
class Placement:
    category: int
    pieces: int  # half units counted


def best_fit(category_pieces: Sequence[int], options: Sequence[Option],
             points: Sequence[float | None]) -> dict[int, Placement]:
    """Place credits to maximise units completed, then the GPA of the placed credits.

    ``category_pieces[k]`` is category k's requirement in half units; ``points[i]`` is credit
    i's grade points (None for P and E).  Returns the placement of every credit that counts."""
    options = _without_unpairable_halves(category_pieces, [o for o in options if o.pieces > 0])
    if not options:
        return {}
    solve = _assignment if _assignment_is_exact(category_pieces, options) else _integer_program
    placed = solve(category_pieces, options, _gains(points, 0.0))
    if all(points[o.item] is not None for o in options):
        return placed
    # Dinkelbach iterations on the GPA ratio (P/E credits have units but no points).
    gpa = _gpa(placed, points)
    while gpa is not None:
        candidate = solve(category_pieces, options, _gains(points, gpa))
        candidate_gpa = _gpa(candidate, points)
        if candidate_gpa is None or candidate_gpa <= gpa + _EPS:
            break
        placed, gpa = candidate, candidate_gpa
    return placed


def _gains(points: Sequence[float | None], gpa: float) -> list[float]:
    """GPA gain of counting one unit of each credit, relative to the GPA ``gpa``."""
    return [0.0 if p is None else p - gpa for p in points]


def _gpa(placed: dict[int, Placement], points: Sequence[float | None]) -> float | None:
    total = units = 0.0
    for item, placement in placed.items():
        if points[item] is not None:
            total += points[item] * placement.pieces
            units += placement.pieces
    return total / units if units else None


def _options_by_item(options: Sequence[Option]) -> dict[int, list[Option]]:
    by_item: dict[int, list[Option]] = defaultdict(list)
    for o in options:
        by_item[o.item].append(o)
    return by_item


def _without_unpairable_halves(category_pieces: Sequence[int], options: list[Option]) -> list[Option]:
    """Drop half-unit options that can never count: the only half of their group in a category
    without a last half unit.  Exact, and it keeps most lone halves (an unpaired part, a pair
    with a failed half) from pushing a student out of the assignment model."""
    while True:
        halves = Counter((o.category, o.group) for o in options if o.pieces % 2)
        kept = [o for o in options if not (o.pieces == 1 and halves[(o.category, o.group)] == 1
                                           and category_pieces[o.category] % 2 == 0)]
        if len(kept) == len(options):
            return kept
        options = kept


def _assignment_is_exact(category_pieces: Sequence[int], options: Sequence[Option]) -> bool:
    if any(p % 2 for p in category_pieces):
        return False
    for opts in _options_by_item(options).values():
        if any(o.pieces % 2 for o in opts) and (len(opts) > 1 or opts[0].pieces != 1):
            return False
        if max(o.pieces for o in opts) > 2 and len({o.category for o in opts}) > 1:
            return False
    return True


def _assignment(category_pieces: Sequence[int], options: Sequence[Option],
                gains: Sequence[float]) -> dict[int, Placement]:
    """Exact when ``_assignment_is_exact``: rows (a unit of a credit, or a pair of halves of
    one group) are assigned to unit slots; each row also has its own 'unused' column."""
    weights: list[float] = []
    allowed: list[list[int]] = []
    members: list[tuple[tuple[int, int], ...]] = []  # ((item, pieces), ...) per row
    halves: dict[tuple[int, Hashable], list[int]] = defaultdict(list)
    for item, opts in _options_by_item(options).items():
        if opts[0].pieces == 1:
            halves[(opts[0].category, opts[0].group)].append(item)
            continue
        units: dict[int, int] = {}
        for o in opts:
            units[o.category] = max(units.get(o.category, 0), o.pieces // 2)
        for nth in range(max(units.values())):
            weights.append(UNIT_VALUE + gains[item])
            allowed.append([k for k, u in units.items() if u > nth])
            members.append(((item, 2),))
    for (category, _group), items in halves.items():
        # Best halves pair first: using j pairs of a group, the best 2j halves are optimal.
        items.sort(key=lambda i: -gains[i])
        for a, b in zip(items[0::2], items[1::2]):
            weights.append(UNIT_VALUE + (gains[a] + gains[b]) / 2)
            allowed.append([category])
            members.append(((a, 1), (b, 1)))
    if not members:
        return {}

    import numpy as np
    from scipy.optimize import linear_sum_assignment

    n_rows, n_categories = len(members), len(category_pieces)
    by_category = np.full((n_rows, n_categories), FORBIDDEN)
    row_index = [row for row, categories in enumerate(allowed) for _ in categories]
    by_category[row_index, [k for categories in allowed for k in categories]] = [
        weights[row] for row in row_index]
    slot_category = np.repeat(np.arange(n_categories), [p // 2 for p in category_pieces])
    matrix = np.hstack([by_category[:, slot_category], np.zeros((n_rows, n_rows))])
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    used = (cols < len(slot_category)) & (matrix[rows, cols] > 0)

    placed: dict[int, Placement] = {}
    for row, category in zip(rows[used].tolist(), slot_category[cols[used]].tolist()):
        for item, pieces in members[row]:
            before = placed.get(item)
            placed[item] = Placement(category, pieces + (before.pieces if before else 0))
    return placed


def _integer_program(category_pieces: Sequence[int], options: Sequence[Option],
                     gains: Sequence[float]) -> dict[int, Placement]:
    """The general model as an integer program.

    Per option: x (credit placed here), a (whole units counted), e (a half of one of those
    units counted as a category's last half unit), h (the credit's odd half counted).
    Per group: y (pairs of halves), r (a lone half as the category's last half unit)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    cost: list[float] = []
    upper: list[float] = []
    rows: list[tuple[dict[int, float], float, float]] = []

    def var(c: float, ub: float) -> int:
        cost.append(c)
        upper.append(ub)
        return len(cost) - 1

    whole_units = [p // 2 for p in category_pieces]
    last_half = [p % 2 for p in category_pieces]
    units_in: dict[int, list[int]] = defaultdict(list)  # category -> unit-counting variables
    last_half_in: dict[int, list[int]] = defaultdict(list)
    halves_in: dict[tuple[int, Hashable], list[int]] = defaultdict(list)
    x_of: dict[int, list[int]] = defaultdict(list)
    roles: list[tuple[str, int, int, int]] = []  # (kind, variable, item, category)

    for o in options:
        unit_gain = UNIT_VALUE + gains[o.item]
        x = var(0.0, 1)
        x_of[o.item].append(x)
        whole, odd = divmod(o.pieces, 2)
        if whole:
            a = var(-unit_gain, whole)
            units_in[o.category].append(a)
            roles.append(("a", a, o.item, o.category))
            link = {a: 1.0, x: -float(whole)}
            if last_half[o.category]:
                e = var(-unit_gain / 2, 1)
                last_half_in[o.category].append(e)
                roles.append(("e", e, o.item, o.category))
                link[e] = 1.0
            rows.append((link, -np.inf, 0))
        if odd:
            h = var(-unit_gain / 2, 1)
            halves_in[(o.category, o.group)].append(h)
            roles.append(("h", h, o.item, o.category))
            rows.append(({h: 1.0, x: -1.0}, -np.inf, 0))
    for (category, _group), hs in halves_in.items():
        y = var(0.0, len(hs) // 2)
        r = var(0.0, last_half[category])
        units_in[category].append(y)
        last_half_in[category].append(r)
        rows.append(({**{h: 1.0 for h in hs}, y: -2.0, r: -1.0}, 0, 0))
    for xs in x_of.values():
        rows.append(({x: 1.0 for x in xs}, -np.inf, 1))
    for category, variables in units_in.items():
        rows.append(({v: 1.0 for v in variables}, -np.inf, whole_units[category]))
    for category, variables in last_half_in.items():
        rows.append(({v: 1.0 for v in variables}, -np.inf, last_half[category]))

    matrix = np.zeros((len(rows), len(cost)))
    for i, (coefficients, _lo, _hi) in enumerate(rows):
        for v, coefficient in coefficients.items():
            matrix[i, v] = coefficient
    result = milp(np.array(cost), integrality=np.ones(len(cost)),
                  bounds=Bounds(np.zeros(len(cost)), np.array(upper)),
                  constraints=LinearConstraint(matrix, [lo for _, lo, _ in rows], [hi for _, _, hi in rows]),
                  options={"mip_rel_gap": 0.0})
    if result.x is None:  # cannot happen: placing nothing is always feasible
        raise RuntimeError(f"core placement failed: {result.message}")

    placed: dict[int, Placement] = {}
    for kind, v, item, category in roles:
        count = int(round(result.x[v]))
        if count:
            pieces = 2 * count if kind == "a" else count
            before = placed.get(item)
            placed[item] = Placement(category, pieces + (before.pieces if before else 0))
    return placed
