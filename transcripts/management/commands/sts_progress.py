"""Print a student's core progress, computed fresh from the stored records (issue item 9).

    python manage.py sts_progress --state-id 1234567890 --bssy 2025 [--path CA] [--sponsor 017] --json

`--json` prints exactly `StudentProgress.to_json()`; `--path` is the what-if switch (nothing is
saved either way).
"""
import json

from django.core.management.base import BaseCommand, CommandError

from sts.clock import DatedCommand

from transcripts.edits import GRAD_DATE_REMOVAL_REASONS
from transcripts.models import Student
from transcripts.progress_store import compute_for


def find_student(state_id: str, bssy: int, sponsor: str | None = None) -> Student:
    """The one student with this State ID in this BSSY (and sponsor), or a CommandError that
    says what to change."""
    students = Student.objects.filter(state_id=state_id, bssy=bssy).select_related("sponsor", "site")
    if sponsor:
        students = students.filter(sponsor__code=sponsor)
    found = list(students[:10])
    where = f" at sponsor {sponsor}" if sponsor else ""
    if not found:
        raise CommandError(f"No student with State ID {state_id} in BSSY {bssy}{where}.")
    if len(found) > 1:
        sponsors = ", ".join(sorted(s.sponsor.code for s in found))
        raise CommandError(f"State ID {state_id} is at several sponsors in BSSY {bssy} ({sponsors}): "
                           "add --sponsor CODE.")
    return found[0]


class Command(DatedCommand, BaseCommand):
    help = "Print a student's core progress (GPAs, categories, awards, graduation check)."

    def add_arguments(self, parser):
        parser.add_argument("--state-id", required=True)
        parser.add_argument("--bssy", type=int, required=True)
        parser.add_argument("--sponsor", help="sponsor code, when the State ID is at several sponsors")
        parser.add_argument("--path", help="what-if diploma path (TU, CA, L1, ...); nothing is saved")
        parser.add_argument("--json", action="store_true", help="print StudentProgress.to_json()")

    def handle(self, *args, **options):
        student = find_student(options["state_id"].strip(), options["bssy"], options["sponsor"])
        path = options["path"].strip().upper() if options["path"] else None
        data = compute_for(student, path=path).to_json()
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2))
        else:
            self.stdout.write(self.summary(student, data))

    @staticmethod
    def summary(student: Student, data: dict) -> str:
        def gpa(value):
            return "-" if value is None else f"{value:.3f}"

        lines = [f"{student.state_id} {student.display_name}  sponsor {student.sponsor.code}  site {student.site.code}"
                 f"  BSSY {student.bssy}  grade {student.grade}",
                 f"Pathway {data['pathway'] or '-'}  Overall GPA {gpa(data['overall_gpa'])}  Core GPA "
                 f"{gpa(data['core_gpa'])}  TOPS GPA {gpa(data['tops_gpa'])}  Total credits {data['total_credits']}"]
        for c in data["categories"]:
            used = ", ".join(f"{u['code']} {u['grade']} {u['units']}" for u in c["courses"])
            lines.append(f"  {'   ' if c['complete'] else '** '}{c['code']} {c['description']:<36} "
                         f"{c['earned']:>4} of {c['required']:<4} {used}")
        for a in data["awards"]:
            lines.append(f"Award {a['code']}: {'eligible' if a['eligible'] else 'not eligible'}, GPA {gpa(a['gpa'])}")
        if data["graduation"]["meets"]:
            lines.append("Graduation check: meets")
        for code in data["graduation"]["removal_reasons"]:
            lines.append(f"Graduation check: reason {code} {GRAD_DATE_REMOVAL_REASONS.get(code, ('', ''))[1]}")
        return "\n".join(lines)
