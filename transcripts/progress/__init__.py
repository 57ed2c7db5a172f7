"""The core progress engine (pure Python, no Django): credits, best-fit core placement, GPAs,
TOPS awards, graduation checks, class rank (STSQ11) and part-number findings (STSQ08)."""
from .credits import Credit, build_credits, credits_and_repeats, grade_points, overall_gpa
from .engine import (AWARDS_FOR_PATHWAY, compute_progress, counted_credits, curriculum_progress,
                     graduation_removal_reasons, prepare_curriculum)
from .model import Category, CoreTables, Course, CourseInfo, Curriculum, SetCourse, StudentFacts
from .partnumbers import PART_NUMBER_MESSAGES, PartNumberFinding, part_number_findings
from .rank import ClassRank, RankRow, class_rank
from .result import (AwardResult, CategoryProgress, CurriculumProgress, GraduationCheck, StudentProgress,
                     UsedCourse)

__all__ = [
    "AWARDS_FOR_PATHWAY", "AwardResult", "Category", "CategoryProgress", "ClassRank", "CoreTables", "Course",
    "CourseInfo", "Credit", "Curriculum", "CurriculumProgress", "GraduationCheck", "PART_NUMBER_MESSAGES",
    "PartNumberFinding", "RankRow", "SetCourse", "StudentFacts", "StudentProgress", "UsedCourse",
    "build_credits", "class_rank", "compute_progress", "counted_credits", "credits_and_repeats",
    "curriculum_progress", "grade_points", "graduation_removal_reasons", "overall_gpa", "part_number_findings",
    "prepare_curriculum",
]
