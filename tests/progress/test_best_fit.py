"""Best-fit placement: units completed first, then core GPA, found by optimisation.

Each greedy case shows a placement a greedy method gets wrong; the brute-force reference below
(exponential, test-only) checks both solvers of ``placement`` on random small instances."""
import itertools
from decimal import Decimal
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from transcripts.progress import placement
from transcripts.progress.placement import Option, best_fit

from .builders import category, course, curriculum, one_curriculum_progress, sc, tables

D = Decimal
PHYS, CHEM, EARTH, X, Y, Z, ART, DANCE = "150501", "150403", "150101", "100001", "100002", "100003", "130101", "130102"


def greedy_by_category(tabs, records, path="TU"):
    """What a greedy placement does: category by category, take the best-graded unused course
    the category accepts.  Returns (categories completed, GPA)."""
    grade_points = {"A": 4, "B": 3, "C": 2, "D": 1}
    used, completed, points = set(), 0, []
    for cat in tabs.curricula[path].categories:
        accepted = {s.course_code for s in cat.set_courses}
        candidates = sorted((r for r in records if r.course_code in accepted and r.ref not in used),
                            key=lambda r: -grade_points.get(r.grade, 0))
        if candidates:
            used.add(candidates[0].ref)
            completed += 1
            points.append(grade_points[candidates[0].grade])
    return completed, sum(points) / len(points)


def test_greedy_leaves_a_category_open_that_best_fit_completes():
    # Science elective 1 accepts Physics or Chemistry; science elective 2 accepts only Physics.
    # Physics A, Chemistry C.  Greedy puts the A (Physics) in elective 1 and has nothing left
    # for elective 2.  Best fit: Chemistry -> 1, Physics -> 2: both complete, GPA (2 + 4) / 2 = 3.0
    tabs = tables(curriculum("TU", category("11", "1", sc(PHYS), sc(CHEM)), category("12", "1", sc(PHYS))))
    records = [course(PHYS, "A"), course(CHEM, "C")]
    assert greedy_by_category(tabs, records)[0] == 1
    result, cats = one_curriculum_progress(tabs, records)
    assert cats["11"].complete and cats["12"].complete
    assert [u.code for u in cats["11"].courses] == [CHEM] and [u.code for u in cats["12"].courses] == [PHYS]
    assert result.core_gpa == D(3)


def test_greedy_gives_a_worse_gpa_than_best_fit():
    # Category 1 accepts X or Y, category 2 accepts X or Z; X = A, Y = B, Z = D.
    # Greedy: X -> 1, then Z -> 2: (4 + 1) / 2 = 2.5.  Best fit: Y -> 1, X -> 2: (3 + 4) / 2 = 3.5
    tabs = tables(curriculum("TU", category("01", "1", sc(X), sc(Y)), category("02", "1", sc(X), sc(Z))))
    records = [course(X, "A"), course(Y, "B"), course(Z, "D")]
    assert greedy_by_category(tabs, records) == (2, 2.5)
    result, cats = one_curriculum_progress(tabs, records)
    assert result.core_gpa == D("3.5")
    assert [u.code for u in cats["01"].courses] == [Y] and [u.code for u in cats["02"].courses] == [X]


def test_units_completed_come_before_gpa():
    # Category 1 accepts X (A) or Y (C); category 2 accepts only X.  Putting X in category 1 alone
    # would give GPA 4.0 with one category; best fit completes both: (2 + 4) / 2 = 3.0
    tabs = tables(curriculum("TU", category("01", "1", sc(X), sc(Y)), category("02", "1", sc(X))))
    result, cats = one_curriculum_progress(tabs, [course(X, "A"), course(Y, "C")])
    assert cats["01"].complete and cats["02"].complete and result.core_gpa == D(3)


def test_a_pass_is_preferred_to_a_grade_that_lowers_the_gpa():
    # Art accepts Art I (P) or Dance (C); English is an A.  Using the C gives (4 + 2) / 2 = 3.0;
    # using the P (no grade points) keeps 4 / 1 = 4.0.  A linear sum of points would pick the C;
    # the GPA is a ratio, so the engine picks the P.
    tabs = tables(curriculum("TU", category("01", "1", sc(X)), category("19", "1", sc(ART), sc(DANCE))))
    result, cats = one_curriculum_progress(tabs, [course(X, "A"), course(ART, "P"), course(DANCE, "C")])
    assert [u.code for u in cats["19"].courses] == [ART]
    assert result.core_gpa == D(4)


def test_a_grade_above_the_average_is_preferred_to_a_pass():
    # Same, with Dance a B and English a C: (2 + 3) / 2 = 2.5 beats 2 / 1 = 2.0 with the P.
    tabs = tables(curriculum("TU", category("01", "1", sc(X)), category("19", "1", sc(ART), sc(DANCE))))
    result, cats = one_curriculum_progress(tabs, [course(X, "C"), course(ART, "P"), course(DANCE, "B")])
    assert [u.code for u in cats["19"].courses] == [DANCE]
    assert result.core_gpa == D("2.5")


def test_lone_halves_combine_only_within_set_and_level():
    # Science elective (1 unit, set S) accepts Earth Science and Chemistry; the Chemistry category
    # (1 unit, set C) accepts Chemistry.  All are "1.0 of 0.5".  Records: Earth Science part 1 A
    # (no part 2), Chemistry part 1 B as AP and part 2 C as regular (college and high-school
    # halves never pair).  Three lone halves.  The only unit that can be formed is Earth A +
    # Chemistry C (same set, same level) in the elective: GPA (4 + 2) / 2 = 3.0; the AP half has
    # no partner.  A half usable in two categories leaves the assignment model: the integer
    # program solves this one.
    tabs = tables(curriculum("TU",
                             category("11", "1", sc(EARTH, "1.0", "0.5", "S"), sc(CHEM, "1.0", "0.5", "S")),
                             category("10", "1", sc(CHEM, "1.0", "0.5", "C"))))
    records = [course(EARTH, "A", "0.5", part="1"), course(CHEM, "B", "0.5", part="1", course_type="AP"),
               course(CHEM, "C", "0.5", part="2")]
    result, cats = one_curriculum_progress(tabs, records)
    assert cats["11"].complete and not cats["10"].complete
    assert sorted(u.grade for u in cats["11"].courses) == ["A", "C"]
    assert result.core_gpa == D(3)


# ---- solvers against a brute-force reference -------------------------------------------------

def brute_force(category_pieces, options, points):
    """Best (units, GPA) by trying every way of counting every credit (test-only)."""
    by_item = {}
    for o in options:
        by_item.setdefault(o.item, []).append(o)
    choices = []
    for item, opts in by_item.items():
        ways = [None]
        for o in opts:
            whole, odd = divmod(o.pieces, 2)
            for a in range(whole + 1):
                for e in range(0, 2 if a < whole else 1):
                    for h in range(odd + 1):
                        if 2 * a + e + h:
                            ways.append((item, o.category, o.group, a, e, h))
        choices.append(ways)
    best = (0, None)
    for combo in itertools.product(*choices):
        used = [w for w in combo if w]
        ok = True
        for k, pieces in enumerate(category_pieces):
            mine = [w for w in used if w[1] == k]
            groups = {}
            for w in mine:
                groups[w[2]] = groups.get(w[2], 0) + w[5]
            units = sum(w[3] for w in mine) + sum(n // 2 for n in groups.values())
            lone = sum(w[4] for w in mine) + sum(n % 2 for n in groups.values())
            if units > pieces // 2 or lone > pieces % 2:
                ok = False
                break
        if not ok:
            continue
        counted = {w[0]: 2 * w[3] + w[4] + w[5] for w in used}
        score = (sum(counted.values()), _gpa(counted, points))
        if _better(score, best):
            best = score
    return best


def _gpa(counted, points):
    graded = [(points[i], n) for i, n in counted.items() if points[i] is not None]
    units = sum(n for _, n in graded)
    return sum(p * n for p, n in graded) / units if units else None


def _better(a, b):
    if a[0] != b[0]:
        return a[0] > b[0]
    return (a[1] if a[1] is not None else -1) > (b[1] if b[1] is not None else -1) + 1e-9


def _score(placed, points):
    return (sum(p.pieces for p in placed.values()), _gpa({i: p.pieces for i, p in placed.items()}, points))


def _valid(placed, category_pieces, options):
    """The solver's placement is one the model allows (some choice of sets makes it legal)."""
    per_item = [[o for o in options if o.item == i and o.category == p.category and o.pieces >= p.pieces]
                for i, p in placed.items()]
    items = list(placed)
    for chosen in itertools.product(*per_item):
        restricted = [Option(o.item, o.category, o.group, placed[o.item].pieces) for o in chosen]
        if brute_force(category_pieces, restricted, {i: 0.0 for i in items})[0] == sum(
                p.pieces for p in placed.values()):
            return True
    return not items


# Grade points of passing graded courses: D on the 5.0 scale converts to 0.8, the lowest.
PASSING_POINTS = [0.8, 1.0, 2.0, 2.5, 3.0, 4.0, 5.0]

instances = st.integers(1, 3).flatmap(lambda n_categories: st.tuples(
    st.lists(st.integers(1, 4), min_size=n_categories, max_size=n_categories),
    st.lists(st.tuples(
        st.one_of(st.none(), st.sampled_from(PASSING_POINTS)),
        st.lists(st.tuples(st.integers(0, n_categories - 1), st.sampled_from("ST"), st.integers(1, 4)),
                 min_size=1, max_size=2, unique_by=lambda t: t[:2])),
        min_size=1, max_size=4)))


def _problem(instance):
    category_pieces, items = instance
    points = [p for p, _ in items]
    options = [Option(i, k, g, n) for i, (_, opts) in enumerate(items) for k, g, n in opts]
    return category_pieces, options, points


@settings(max_examples=100, deadline=None)
@given(instances)
def test_best_fit_matches_brute_force(instance):
    category_pieces, options, points = _problem(instance)
    placed = best_fit(category_pieces, options, points)
    expected = brute_force(category_pieces, options, points)
    units, gpa = _score(placed, points)
    assert units == expected[0]
    assert (gpa is None) == (expected[1] is None) and (gpa is None or abs(gpa - expected[1]) < 1e-9)
    assert _valid(placed, category_pieces, options)


# Instances inside the assignment model: whole-unit requirements; each credit is a lone half with
# one place, a unit with several, or a multi-unit course of one category.
assignment_instances = st.integers(1, 3).flatmap(lambda n_categories: st.tuples(
    st.lists(st.sampled_from([2, 4, 6]), min_size=n_categories, max_size=n_categories),
    st.lists(st.tuples(
        st.one_of(st.none(), st.sampled_from(PASSING_POINTS)),
        st.one_of(
            st.tuples(st.integers(0, n_categories - 1), st.sampled_from("ST"), st.just(1)).map(lambda o: [o]),
            st.lists(st.tuples(st.integers(0, n_categories - 1), st.sampled_from("ST"), st.just(2)),
                     min_size=1, max_size=3, unique_by=lambda t: t[:2]),
            st.tuples(st.integers(0, n_categories - 1), st.sampled_from("ST"), st.just(4)).map(lambda o: [o]))),
        min_size=1, max_size=7)))


@settings(max_examples=100, deadline=None)
@given(assignment_instances)
def test_assignment_and_integer_program_agree(instance):
    category_pieces, options, points = _problem(instance)
    assert placement._assignment_is_exact(category_pieces, options)
    fast = best_fit(category_pieces, options, points)
    with mock.patch.object(placement, "_assignment_is_exact", lambda *args: False):
        exact = best_fit(category_pieces, options, points)
    (units_a, gpa_a), (units_b, gpa_b) = _score(fast, points), _score(exact, points)
    assert units_a == units_b
    assert (gpa_a is None and gpa_b is None) or abs(gpa_a - gpa_b) < 1e-9
