"""030 Transcript record edits (Appendix K "Error Messages for STS Transcript Records (030)").

Credit rules follow the Data Glossary: grade F earns 0 of more than 0 attempted; grade E
attempts and earns 0, has 0 quality points and the waiver flag Y; grades A-D and P earn
what they attempt, more than 0. Earned never exceeds attempted; P and E are whole courses.
"""

from __future__ import annotations

from operator import attrgetter, itemgetter

from core_tables.codelists import codes_where
from transcripts.records import TRANSCRIPT, TranscriptRecord, is_blank, is_digits, year

from .model import edit

DUAL_ENROLLMENT = codes_where("course_type", "dual_enrollment")  # DE DA DI
AP_TYPES = codes_where("course_type", "ap")  # AP DA
PASSING = codes_where("letter_grade", "passing")  # A B C D P
QUALITY_GRADES = frozenset("ABCD")  # grades that earn quality points
BELOW_A = frozenset("BCD")
NO_QUALITY_GRADES = frozenset("PEF")
WHOLE_COURSE_GRADES = frozenset("PE")
AP_RULE_FROM = 2005  # "Beginning 2005-2006, only certain courses may be assigned the AP Course Type Code"

CREDITS = ("grade", "credit_attempted", "credit_earned")


def _number(raw: str) -> int | None:
    return int(raw) if is_digits(raw) else None


@edit("200", TRANSCRIPT, None, "NO STUDENT RECORD FOR TRANSCRIPT RECORD", scope="set",
      solution="The 030 transcript record does not match a 020 student record (in the file, or already on file "
               "for this sponsor and BSSY).")
def transcript_without_student(view):
    return () if view.on_file else view.transcripts


@edit("300", TRANSCRIPT, None, "NO TRANSCRIPT RECORD FOR STUDENT RECORD", scope="set",
      solution="All 020 student demographic records must have at least 1 030 transcript record to batch upload. "
               "You cannot upload a student that does not currently have any transcripts.")
def student_without_transcripts(view):
    """Reported on the 020 (the record set has no 030 to point at)."""
    return (view.student,) if view.student is not None and not view.transcripts else ()


@edit("301", TRANSCRIPT, "course_bssy", "INVALID COURSE BSSY", reads=("course_bssy",),
      solution='Must be in 4 digit numeric format "2017" and cannot be a future year.')
def invalid_course_bssy(r, ctx):
    """A future year is one after the submission's BSSY."""
    course_year = year(r.course_bssy)
    return course_year is None or course_year > ctx.bssy


@edit("302", TRANSCRIPT, "course_code", "INVALID COURSE CODE", reads=("course_code", "course_bssy"),
      solution="Valid course codes should be 6 digits long and should match to the state list of course codes "
               "for the year the course was taken.")
def invalid_course_code(r, ctx):
    """On the state list for the course BSSY (for any year when the course BSSY is 301's)."""
    return ctx.snapshot.course(r.course_code, year(r.course_bssy)) is None


@edit("303", TRANSCRIPT, "part", "INVALID COURSE PART NUMBER", reads=("part",),
      solution='Course Part number must be either "1", "2", or blank. Use 1 for the first part and 2 for the '
               'second part of a course reported as two halves. Leave blank if not applicable.')
def invalid_part(r, ctx):
    return r.part.strip() not in ("", "1", "2")


@edit("327", TRANSCRIPT, "part", "PART NUM NOT ALLOWED / GRADE 'P' OR 'E'", reads=("part", "grade"),
      solution='Part numbers are not allowed on courses using "P" or "E". A nongraded course cannot combine '
               'with a graded course. Use the P for the whole course or use a grade for the two parts.')
def part_on_whole_course_grade(r, ctx):
    return r.grade in WHOLE_COURSE_GRADES and r.part.strip() in ("1", "2")


@edit("304", TRANSCRIPT, "semester", "INVALID SEMESTER CODE", reads=("semester",),
      solution="Semester Code of the semester in which the student was enrolled in the course (B1, B2, B3, B4, "
               "C1, C2, S1, S2, Z1, Z2, Y1).")
def invalid_semester(r, ctx):
    return r.semester not in ctx.codes["semester"]


@edit("305", TRANSCRIPT, "grade", "INVALID LETTER GRADE CODE", reads=("grade",),
      solution="Letter grade assigned to a student for a course. Must be A, B, C, D, F, P (Pass) or E (Exempt).")
def invalid_letter_grade(r, ctx):
    return r.grade not in ctx.codes["letter_grade"]


@edit("306", TRANSCRIPT, "credit_attempted", "INVALID CREDIT ATTEMPTED COUNT", reads=CREDITS,
      solution="Credit attempted values are limited to 3 digits such as 0.50 or 1.00. In batch it should be 050 "
               "or 100. Grade E attempts 0; every other grade attempts more than 0.")
def invalid_credit_attempted(r, ctx):
    attempted = _number(r.credit_attempted)
    if attempted is None:
        return True
    if r.grade == "E":
        return attempted != 0
    return r.grade in ctx.codes["letter_grade"] and attempted == 0


@edit("310", TRANSCRIPT, "credit_earned", "INVALID CREDIT EARNED COUNT", reads=CREDITS,
      solution="Credit earned values are limited to 3 digits such as 0.50 or 1.00. In batch it should be 050 or "
               "100. Credit earned cannot be greater than credit attempted; grade E earns 0.")
def invalid_credit_earned(r, ctx):
    earned, attempted = _number(r.credit_earned), _number(r.credit_attempted)
    if earned is None:
        return True
    return (attempted is not None and earned > attempted) or (r.grade == "E" and earned != 0)


@edit("311", TRANSCRIPT, "credit_earned", "INVALID CREDIT EARNED COUNT, GRADE = 'F'", reads=CREDITS,
      solution="With a grade of F, the credit earned should equal 0. Check to see if the grade should be passing "
               "or the credit earned should be 0.")
def credit_earned_on_f(r, ctx):
    earned = _number(r.credit_earned)
    return r.grade == "F" and earned is not None and earned != 0


@edit("312", TRANSCRIPT, "credit_earned", "CREDS EARND NOT = ATTMPT, GRDS A,B,C,D,P", reads=CREDITS,
      solution="With a passing grade of A, B, C, D, or P, the credit earned should equal the credit attempted "
               "and not be 0. If the student passed make sure the credit earned is not 0.")
def earned_not_attempted_on_pass(r, ctx):
    earned, attempted = _number(r.credit_earned), _number(r.credit_attempted)
    return r.grade in PASSING and earned is not None and attempted is not None and earned != attempted


@edit("314", TRANSCRIPT, "grade_point_max", "INVALID GRADE POINT MAXIMUM COUNT", reads=("grade_point_max", "grade"),
      solution="Maximum grade points that can be earned for the course/class with correct values of 3 digits "
               "such as 4.00 or 5.00. In batch it should be 400 or 500 (000 only for a course without a grade "
               "point, such as P or E). A 5.00 maximum is valid on any course: the points of a course that is "
               "not on the 5.0 list are converted to the 4.00 scale for the GPAs.")
def invalid_grade_point_max(r, ctx):
    """What the code's text says (docs/progress-rules.md, section 1): not 3 digits, a value other
    than 400 or 500, or 000 on a graded course (A-D, F). Schools weight honors courses locally on
    5.00; the conversion scale exists for exactly those, so a 500 is never refused by itself."""
    if r.grade_point_max in VALID_MAXIMUM:
        return False
    maximum = _number(r.grade_point_max)
    if maximum == 0:
        return r.grade in QUALITY_GRADES or r.grade == "F"
    return True


VALID_MAXIMUM = frozenset({"400", "500"})


@edit("316", TRANSCRIPT, "waiver", "INVALID CORE CURRICULUM WAIVER FLAG", reads=("waiver",),
      solution='"Y" if student was exempted from a course, otherwise "N" (blank is read as N).')
def invalid_waiver(r, ctx):
    return not is_blank(r.waiver) and r.waiver not in ctx.codes["yes_no"]


@edit("318", TRANSCRIPT, "waiver", "CORE CURR WAIVER FLAG 'Y', GRADE NOT 'E'", reads=("waiver", "grade"),
      solution="CORE CURRICULUM WAIVER FLAG = 'Y' AND LETTER GRADE NOT = 'E'. If the letter grade is E the Core "
               "Curriculum Waiver must be Y.")
def waiver_without_exempt_grade(r, ctx):
    """Both directions of "Grade E: ... waiver flag Y": Y needs E, and E needs Y."""
    return (r.waiver == "Y") != (r.grade == "E")


@edit("319", TRANSCRIPT, "course_sponsor", "INVALID COURSE SPONSOR CODE", reads=("course_sponsor", "course_type"),
      solution="Sponsor Code where the student took the course. Must be supplied for all courses taken in "
               "Louisiana, otherwise leave blank. If position 166 (Course Type Code) is DE, this field must "
               "contain the Post-secondary Sponsor code instead of the LEA Sponsor code.")
def invalid_course_sponsor(r, ctx):
    if is_blank(r.course_sponsor):
        return False
    kind = ctx.snapshot.sponsors.get(r.course_sponsor)
    return kind is None or (r.course_type == "DE" and kind != "postsecondary")


@edit("320", TRANSCRIPT, "course_sponsor", "COURSE SPON REQUIRED, CRS SITE NOT BLANK",
      reads=("course_sponsor", "course_site"),
      solution="COURSE SPONSOR CODE REQUIRED IF COURSE SITE CODE NOT BLANK.")
def course_site_without_sponsor(r, ctx):
    return is_blank(r.course_sponsor) and not is_blank(r.course_site)


@edit("321", TRANSCRIPT, "course_site", "INVALID COURSE SITE CODE",
      reads=("course_site", "course_site_name", "course_type"),
      solution="A 6 digit site code of the school in which the student took the course. Must be supplied for "
               "all courses taken in Louisiana, otherwise leave blank and give the Course Site Name. If the "
               "Course Type Code is DE, this must be the Post-secondary Site code.")
def invalid_course_site(r, ctx):
    """Unknown site, a DE course at a site that is not postsecondary, or no site at all: the
    Course Site Name is "required if Course Site Code is blank" and has no code of its own."""
    if is_blank(r.course_site):
        return is_blank(r.course_site_name)
    site = ctx.snapshot.sites.get(r.course_site)
    return site is None or (r.course_type == "DE" and site.kind != "postsecondary")


@edit("322", TRANSCRIPT, "course_site", "COURSE SITE AND COURSE SPON NOT MATCHING",
      reads=("course_site", "course_sponsor"),
      solution="The sponsor code is the first 3 digits of the site code. Example 001 and 001002 would work, but "
               "001 and 002002 would not.")
def course_site_not_of_sponsor(r, ctx):
    return not is_blank(r.course_site) and not is_blank(r.course_sponsor) and r.course_site[:3] != r.course_sponsor


COURSE_TAKEN = itemgetter("course_bssy", "course_code", "part", "semester")  # of the record's __dict__
RECORD_VALUES = attrgetter("__dict__")


@edit("326", TRANSCRIPT, None, "DUPLICATE TRANSCRIPT RECORD", scope="set",
      solution="There are 2 identical transcripts for this student. Check for part numbers and semester codes "
               "to differentiate courses or remove the duplicate.")
def duplicate_transcript(view):
    """Same course, course BSSY, part and semester. For the course codes that require a
    Transcript Course Name (electives) the name tells courses apart too: "the Transcript
    Course Name will be used to determine repeated and unique courses"."""
    transcripts = view.transcripts
    taken = list(map(COURSE_TAKEN, map(RECORD_VALUES, transcripts)))
    if len(set(taken)) == len(taken):  # no course taken twice: the common case, tested in C
        return
    first: dict[tuple, TranscriptRecord] = {}
    repeated: dict[tuple, list] = {}
    for r, course in zip(transcripts, taken):
        earlier = first.setdefault(course, r)
        if earlier is r:
            continue
        others = repeated.setdefault(course, [earlier])
        if not _named_apart(r, others, view.ctx):
            yield r
        others.append(r)


def _named_apart(r, earlier, ctx) -> bool:
    course = ctx.snapshot.course(r.course_code, year(r.course_bssy))
    if course is None or not course.requires_course_name:
        return False
    name = r.course_name.strip().upper()
    return all(name != other.course_name.strip().upper() for other in earlier)


@edit("328", TRANSCRIPT, "course_name", "COURSE NAME REQUIRED FOR THIS COURSE",
      reads=("course_code", "course_bssy", "course_name"),
      solution="Some courses require a course name - see the user guide about courses requiring a name.")
def missing_course_name(r, ctx):
    course = ctx.snapshot.course(r.course_code, year(r.course_bssy))
    return course is not None and course.requires_course_name and is_blank(r.course_name)


QUALITY = ("grade", "quality_points", "grade_point_max")


@edit("329", TRANSCRIPT, "quality_points", "NONNUMERIC QLTY POINTS AWARDED CNT", reads=("quality_points",),
      solution='Quality points should be recorded as 3 digit numbers such as "2.00" or "3.00". In batch it '
               'should be 200 or 300.')
def nonnumeric_quality_points(r, ctx):
    return not is_digits(r.quality_points)


@edit("330", TRANSCRIPT, "quality_points", "QLTY PNTS AWD CNT NOT 0 FOR GD P,E, OR F", reads=QUALITY,
      solution="Quality points awarded should be zero for a grade of P, E, or F.")
def quality_points_on_no_quality_grade(r, ctx):
    points = _number(r.quality_points)
    return r.grade in NO_QUALITY_GRADES and points is not None and points != 0


@edit("331", TRANSCRIPT, "quality_points", "QUAL PTS AWD CNT = 0 FOR GD A,B,C OR D", reads=QUALITY,
      solution="Quality points awarded should not be zero for a grade of A, B, C, or D.")
def no_quality_points_on_passing_grade(r, ctx):
    return r.grade in QUALITY_GRADES and _number(r.quality_points) == 0


@edit("332", TRANSCRIPT, "quality_points", "QTY PTS AWD CNT NOT = GD PT MAX CT FOR A", reads=QUALITY,
      solution="If a student receives an A then the quality max must equal the quality earned.")
def a_below_grade_point_max(r, ctx):
    points, maximum = _number(r.quality_points), _number(r.grade_point_max)
    return r.grade == "A" and points is not None and maximum is not None and points != maximum


@edit("333", TRANSCRIPT, "quality_points", "QUAL PNT AWD CNT NOT < GRD PNT MAX CNT", reads=QUALITY,
      solution="If a student receives a B, C, or D, then the quality points earned must be less than the "
               "quality point max.")
def bcd_at_grade_point_max(r, ctx):
    points, maximum = _number(r.quality_points), _number(r.grade_point_max)
    return r.grade in BELOW_A and points is not None and maximum is not None and points >= maximum


@edit("334", TRANSCRIPT, "course_type", "INVALID COURSE TYPE CODE", reads=("course_type", "course_code", "course_bssy"),
      solution="Code to identify type of Course: RG Regular, HR Honors, GT Gifted, AP Advanced Placement, IB "
               "International Baccalaureate, SE Special Education, TA Talented, DE Dual Enrollment, DA Dual "
               "Enrollment and AP, DI Dual Enrollment and IB. Only the courses on the AP list may be AP, and "
               "the courses listed as AP required must be AP.")
def invalid_course_type(r, ctx):
    """Required ("every Course Code requires a Course Type Code"). From 2005-06 the AP course
    list applies: AP (and DA, dual enrollment AP) only on courses marked optional/required,
    and the courses marked required only as AP or DA."""
    if r.course_type not in ctx.codes["course_type"]:
        return True
    course_year = year(r.course_bssy)
    if course_year is None or course_year < AP_RULE_FROM:
        return False
    course = ctx.snapshot.course(r.course_code, course_year)
    if course is None:
        return False
    is_ap = r.course_type in AP_TYPES
    return (is_ap and course.ap_type_allowed == "") or (not is_ap and course.ap_type_allowed == "required")


@edit("335", TRANSCRIPT, "distance_learning", "INVALID DISTANCE LEARNING COURSE TYPE CD", reads=("distance_learning",),
      solution="Code to identify type of distance learning course. Leave blank if not applicable. 01 - Local LEA "
               "Provided Online Courses, 02 - Distance Learning Satellite courses, 03 - Other Distance Learning, "
               "04 - Course Choice/Supplemental Course Providers, 05 - Dropout Recovery Program Providers.")
def invalid_distance_learning(r, ctx):
    return not is_blank(r.distance_learning) and r.distance_learning not in ctx.codes["distance_learning"]


def de_hours(raw: str) -> int | None:
    """Postsecondary credit hours: blank -> 0; 4 digits -> hundredths; else None (341)."""
    if is_blank(raw):
        return 0
    return int(raw) if len(raw) == 4 and is_digits(raw) else None


DE_HOURS = ("course_type", "grade", "de_credit_hours")


@edit("339", TRANSCRIPT, "de_credit_hours", "POST SEC CREDIT HRS MUST BE > 0", reads=DE_HOURS,
      solution="If a student passes a DE course, then they must have a value greater than 0 in the post sec "
               "credit field.")
def passed_de_without_hours(r, ctx):
    """DE, DA and DI alike (the field's definition names all three)."""
    return r.course_type in DUAL_ENROLLMENT and r.grade in PASSING and de_hours(r.de_credit_hours) == 0


@edit("340", TRANSCRIPT, "de_credit_hours", "PSC HRS MUST BE BLANK OR 0 WHEN CRS TYPE NOT DE", reads=DE_HOURS,
      solution="If a course is not identified as DE (DE, DA or DI) in the course type, please leave this value "
               "blank or 0.")
def hours_on_non_de(r, ctx):
    hours = de_hours(r.de_credit_hours)
    return r.course_type not in DUAL_ENROLLMENT and hours is not None and hours != 0


@edit("341", TRANSCRIPT, "de_credit_hours", "INVALID DE POST SEC CREDIT HOURS", reads=("de_credit_hours",),
      solution="DE credits should be entered 4 digit numeric so 3 credit hours should be 0300.")
def invalid_de_hours(r, ctx):
    return de_hours(r.de_credit_hours) is None


@edit("342", TRANSCRIPT, "de_secondary_site", "INVALID DE SECONDARY SITE CODE",
      reads=("de_secondary_site", "course_type"),
      solution="For DE, DA and DI courses: the site code of the high school in which the student was enrolled "
               "when the course was taken (the course site is the post secondary site). Otherwise leave blank. "
               "Please see the master site list on Insight or LEADS.")
def invalid_de_secondary_site(r, ctx):
    """Appendix K's solution speaks of the postsecondary site, which is the course site's
    (321); the field at column 180 is the high school's site, blank for other course types."""
    if r.course_type not in DUAL_ENROLLMENT:
        return not is_blank(r.de_secondary_site)
    site = ctx.snapshot.sites.get(r.de_secondary_site)
    return site is None or site.kind != "school"
