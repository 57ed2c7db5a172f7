"""Core tables from the reference CSV files (data/reference/*.csv), without Django.

Reads curricula.csv, categories.csv, set_courses.csv and course_codes.csv with the headers of
the reference-data contract.  Curricula outside the cohort's years stay in the tables: set
courses carry their own effective/expiration graduation BSSYs.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from .model import Category, CoreTables, CourseInfo, Curriculum, SetCourse


def _rows(directory: Path, name: str) -> list[dict[str, str]]:
    with open(directory / name, newline="", encoding="utf-8") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def _flag(value: str) -> bool:
    return value.upper() == "Y"


def _year(value: str) -> int | None:
    return int(value) if value else None


def load_core_tables(directory: str | Path) -> CoreTables:
    directory = Path(directory)
    courses = {r["code"]: CourseInfo(code=r["code"], name=r["name"],
                                     requires_course_name=_flag(r["requires_course_name"]),
                                     five_point_eligible=_flag(r["five_point_eligible"]),
                                     experience_only=_flag(r["experience_only"]))
               for r in _rows(directory, "course_codes.csv")}
    set_courses: dict[tuple[str, str], list[SetCourse]] = defaultdict(list)
    for r in _rows(directory, "set_courses.csv"):
        set_courses[(r["curriculum"], r["category"])].append(SetCourse(
            set_code=r["set"], course_code=r["course_code"], units_allowed=Decimal(r["units_allowed"]),
            units_required=Decimal(r["units_required"]),
            effective_grad_bssy=_year(r["effective_grad_bssy"]) or 0,
            expiration_grad_bssy=_year(r["expiration_grad_bssy"])))
    categories: dict[str, list[Category]] = defaultdict(list)
    for r in _rows(directory, "categories.csv"):
        categories[r["curriculum"]].append(Category(
            code=r["category"], description=r["description"], units_required=Decimal(r["units_required"]),
            set_courses=tuple(set_courses[(r["curriculum"], r["category"])])))
    curricula = {r["code"]: Curriculum(
        code=r["code"], name=r["name"], kind=r["kind"], units_required=Decimal(r["units_required"]),
        min_gpa=Decimal(r["min_gpa"]) if r["min_gpa"] else None,
        categories=tuple(sorted(categories[r["code"]], key=lambda c: c.code)))
        for r in _rows(directory, "curricula.csv")}
    return CoreTables(curricula=curricula, courses=courses)
