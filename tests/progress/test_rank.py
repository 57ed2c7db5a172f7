"""STSQ11 class rank: competition ranking within sponsor, site and grade; grad class rank."""
from decimal import Decimal

from transcripts.progress import RankRow, class_rank
from transcripts.progress.rank import competition_ranks

D = Decimal


def test_equal_gpas_share_a_rank_with_gaps_after():
    assert competition_ranks([D("3.9"), D("3.5"), D("3.5"), D("2.0")]) == [1, 2, 2, 4]
    assert competition_ranks([D("2.0"), D("3.5"), D("3.9"), D("3.5")]) == [4, 2, 1, 2]


def test_class_rank_size_and_percent_per_sponsor_site_and_grade():
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
    assert [ranks[s].class_percent for s in "abcd"] == [D("25.00"), D("50.00"), D("50.00"), D("100.00")]
    assert (ranks["e"].class_rank, ranks["e"].class_size) == (1, 1)
    assert (ranks["f"].class_rank, ranks["f"].class_size, ranks["f"].grad_rank) == (1, 1, 1)
    # Grad class rank: grade 12 with a graduation date only (a, c, d at site 017001)
    assert [(ranks[s].grad_rank, ranks[s].grad_size) for s in "acd"] == [(1, 3), (2, 3), (3, 3)]
    assert ranks["b"].grad_rank is None and ranks["e"].grad_rank is None
    assert ranks["c"].grad_percent == D("66.67")


def test_gpas_that_print_the_same_tie_and_missing_gpas_are_not_ranked():
    rows = [("x", "017", "017001", "10", 3.1234, False),   # plain tuples work; 3.123 as printed
            ("y", "017", "017001", "10", "3.1226", False),  # 3.123 as printed: same rank
            ("z", "017", "017001", "10", None, False),      # no graded course: not ranked
            ("w", "017", "017001", "08", 4.0, False)]       # grade 8 is outside class rank
    ranks = class_rank(rows)
    assert [(r.student, r.class_rank, r.class_size) for r in ranks] == [
        ("x", 1, 2), ("y", 1, 2), ("z", None, None), ("w", None, None)]
