"""STSQ11 class rank: competition ranking within sponsor, site and grade; grad class rank;
percentile ranks; every student of the grade in the class size (issue 9, item 3)."""
from decimal import Decimal

import pytest

from transcripts.progress import RankRow, class_rank
from transcripts.progress.rank import competition_ranks, percentile

D = Decimal


def test_equal_gpas_share_a_rank_with_gaps_after():
    assert competition_ranks([D("3.9"), D("3.5"), D("3.5"), D("2.0")]) == [1, 2, 2, 4]
    assert competition_ranks([D("2.0"), D("3.5"), D("3.9"), D("3.5")]) == [4, 2, 1, 2]
    assert competition_ranks([None, D("2.0"), None, D("3.0")]) == [3, 2, 3, 1]  # no GPA: last, tied


def test_class_rank_size_and_percentile_per_sponsor_site_and_grade():
    rows = [
        RankRow("a", "017", "017001", "12", D("3.900"), True),
        RankRow("b", "017", "017001", "12", D("3.500"), False),
        RankRow("c", "017", "017001", "12", D("3.500"), True),
        RankRow("d", "017", "017001", "12", D("2.000"), True),
        RankRow("e", "017", "017001", "11", D("1.000"), False),    # other grade: own class
        RankRow("f", "017", "017002", "12", D("2.500"), True),     # other site: own class
    ]
    ranks = {r.student: r for r in class_rank(rows)}
    assert [(ranks[s].class_rank, ranks[s].class_size) for s in "abcd"] == [(1, 4), (2, 4), (2, 4), (4, 4)]
    # Percentile rank: (below + half of the tied) / size: a (3 + .5) / 4, b and c (1 + 1) / 4, d .5 / 4
    assert [ranks[s].class_percent for s in "abcd"] == [D("87.50"), D("50.00"), D("50.00"), D("12.50")]
    assert (ranks["e"].class_rank, ranks["e"].class_size, ranks["e"].class_percent) == (1, 1, D("50.00"))
    assert (ranks["f"].class_rank, ranks["f"].class_size, ranks["f"].grad_rank) == (1, 1, 1)
    # Grad class rank: grade 12 with a graduation date only (a, c, d at site 017001)
    assert [(ranks[s].grad_rank, ranks[s].grad_size) for s in "acd"] == [(1, 3), (2, 3), (3, 3)]
    assert ranks["b"].grad_rank is None and ranks["e"].grad_rank is None
    assert ranks["c"].grad_percent == D("50.00") and ranks["a"].grad_percent == D("83.33")


def test_the_top_student_of_200_is_near_100_not_at_half_a_percent():
    rows = [RankRow(i, "017", "017001", "12", D(4) - D(i) / 100, True) for i in range(200)]
    ranks = class_rank(rows)
    assert (ranks[0].class_rank, ranks[0].class_percent) == (1, D("99.75"))
    assert (ranks[-1].class_rank, ranks[-1].class_percent) == (200, D("0.25"))
    assert ranks[0].grad_percent == D("99.75")


def test_students_without_a_gpa_count_in_the_size_and_rank_last():
    rows = [("x", "017", "017001", "10", 3.1234, False),   # plain tuples work; 3.123 as printed
            ("y", "017", "017001", "10", "3.1226", False),  # 3.123 as printed: same rank
            ("z", "017", "017001", "10", None, False),      # no graded course: ranked last, counted
            ("w", "017", "017001", "08", 4.0, False)]       # grade 8 is outside class rank
    ranks = class_rank(rows)
    assert [(r.student, r.class_rank, r.class_size) for r in ranks] == [
        ("x", 1, 3), ("y", 1, 3), ("z", 3, 3), ("w", None, None)]
    assert ranks[2].class_percent == D("16.67")


def test_an_unranked_student_in_the_middle_does_not_stop_the_ranking_of_those_after():
    rows = [RankRow("a", "017", "017001", "11", D("3.0"), False),
            RankRow("b", "017", "017001", "11", None, False),
            RankRow("c", "017", "017001", "11", D("2.0"), False),
            RankRow("d", "017", "017001", "11", D("1.0"), False)]
    assert [r.class_rank for r in class_rank(rows)] == [1, 4, 2, 3]


def test_t9_students_are_ranked_in_a_class_of_their_own():
    rows = [RankRow("a", "017", "017001", "T9", D("3.0"), False),
            RankRow("b", "017", "017001", "09", D("4.0"), False)]
    assert [(r.class_rank, r.class_size) for r in class_rank(rows)] == [(1, 1), (1, 1)]


def test_grad_class_rank_is_for_grade_12_students_with_a_graduation_date_only():
    rows = [RankRow("a", "017", "017001", "12", D("3.0"), True),
            RankRow("b", "017", "017001", "11", D("4.0"), True),   # an 11th-grade graduate: not in it
            RankRow("c", "017", "017001", "12", D("3.5"), False)]  # no graduation date: not in it
    ranks = class_rank(rows)
    assert [(r.grad_rank, r.grad_size) for r in ranks] == [(1, 1), (None, None), (None, None)]


@pytest.mark.parametrize("rank,tied,size,expected", [(1, 1, 1, "50.00"), (1, 2, 2, "50.00"), (2, 1, 2, "25.00")])
def test_percentile_formula(rank, tied, size, expected):
    assert percentile(rank, tied, size) == D(expected)
