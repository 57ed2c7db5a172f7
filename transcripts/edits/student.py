"""020 Student record edits (Appendix K "Error Messages for STS Student Record (020)") and
the Secure ID match U01-U08 ("Validations on Student Demographics").

Readings where the sources disagree or are silent are noted on each edit.
"""

from __future__ import annotations

import datetime as dt

from core_tables.codelists import attrs_of, career_option_kind, codes_where
from transcripts.records import (
    EOC_FIELDS, IBC, NONPUBLIC, PUBLIC, RACE_FIELDS, STUDENT,
    is_blank, is_digits, mmddyyyy, race_flags, year,
)

from .model import REMOVE_GRAD_DATE, edit

SECURE_ID = "secure_id"
GRADUATION_GRADES = frozenset({"11", "12"})
BELOW_GRADUATION = frozenset({"06", "07", "08", "09", "10"})
NO_GRADE9_ENTRY = frozenset({"06", "07", "08"})
PUBLIC_ONLY_GRADES = frozenset(c for c in ("06", "07", "08", "T9", "09", "10", "11", "12")
                               if attrs_of("grade_placement", c).get("nonpublic") is False)
JUMPSTART_CREDENTIALS = codes_where("career_endorsement", "jumpstart")
GRAD_DATE_GRACE = dt.timedelta(days=14)  # "may not be more than two weeks into the future"


# --- Secure ID (eScholar) match, public/charter ---------------------------------------------

def valid_state_id(raw: str, layout: str) -> bool:
    """Public: the 10-digit LASID. Nonpublic: a 9-digit SSN up to 899999999, or a temporary
    number starting 99 (99 + site + sequence, Appendix F)."""
    if layout == PUBLIC:
        return len(raw) == 10 and is_digits(raw)
    value = raw.strip()
    return len(value) == 9 and is_digits(value) and (value <= "899999999" or value.startswith("99"))


@edit("U01", SECURE_ID, "state_id", "INVALID SECURE ID", applies_to=(STUDENT,), reads=("state_id", "layout"),
      solution="Must be a valid 10 digit Secure ID number in eScholar.")
def invalid_secure_id(r, ctx):
    """Also run on nonpublic 020s, with the nonpublic State ID rule (SSN or temporary
    number): the catalog has no other code for a malformed nonpublic State ID."""
    return not valid_state_id(r.state_id, r.layout)


@edit("U02", SECURE_ID, "state_id", "SECURE ID DOES NOT EXIST", nonpublic=False, scope="student",
      applies_to=(STUDENT,),
      solution="Secure ID submitted does not exist in the Louisiana Secure ID system for this LEA and site code.")
def secure_id_unknown(r, view):
    """The registry entry must exist and belong to the record's sponsor and site."""
    if not valid_state_id(r.state_id, PUBLIC):
        return False  # U01
    reg = view.registry
    return reg is None or reg.sponsor != r.sponsor or reg.site != r.site


def partial_name(name: str, letters: int) -> str:
    """The first `letters` characters of a registry name, compared without regard to case.
    Names shorter than that compare whole ("Li" -> "LI", sent as "LI "); a space inside the
    first letters ends the partial name ("de la Cruz" -> "DE")."""
    return name.strip()[:letters].strip().upper()


@edit("U03", SECURE_ID, "first_name", "STUDENT'S FIRST NAME NOT MATCHED", nonpublic=False, scope="student",
      applies_to=(STUDENT, IBC),
      solution="First name submitted does not match the first letter of the student's First Name in the "
               "Louisiana Secure ID system.")
def first_name_not_matched(r, view):
    reg = view.registry
    sent = r.first_name.strip().upper()
    return reg is not None and sent != "" and sent != partial_name(reg.first_name, 1)


@edit("U04", SECURE_ID, "last_name", "STUDENT'S LAST NAME NOT MATCHED", nonpublic=False, scope="student",
      applies_to=(STUDENT, IBC),
      solution="Last name submitted does not match the first three letters of the student's last name in the "
               "Louisiana Secure ID system.")
def last_name_not_matched(r, view):
    reg = view.registry
    sent = r.last_name.strip().upper()
    return reg is not None and sent != "" and sent != partial_name(reg.last_name, 3)


@edit("U05", SECURE_ID, "local_id", "STUDENT'S LOCAL ID NOT MATCHED", nonpublic=False, scope="student",
      applies_to=(STUDENT, IBC),
      solution="Local ID submitted does not match the student's Local ID in the Louisiana Secure ID system.")
def local_id_not_matched(r, view):
    """Compared after stripping, without regard to case (the guide asks for uppercase)."""
    reg = view.registry
    sent = r.local_id.strip().upper()
    return reg is not None and sent != "" and sent != reg.local_id.strip().upper()


@edit("U06", SECURE_ID, "birth_day", "STUDENT'S DAY OF BIRTH NOT MATCHED", nonpublic=False, scope="student",
      applies_to=(STUDENT,),
      solution="Day of birth submitted does not match the student's Day of Birth in the Louisiana Secure ID "
               "System. Verify the Day of Birth provided is numeric between 01 and 31 and is a valid day for "
               "the specific month; i.e for February 01-29 and in the format DD.")
def birth_day_not_matched(r, view):
    reg = view.registry
    return reg is not None and valid_birth_day(r.birth_day) and int(r.birth_day) != reg.birth_date.day


@edit("U07", SECURE_ID, "hispanic", "STUDENT'S ETHNICITY NOT MATCHED", nonpublic=False, scope="student",
      applies_to=(STUDENT,), through="white",
      solution="Ethnicity and Race submitted do not match the student's Ethnicity and Race in the Louisiana "
               "Secure ID system.")
def ethnicity_not_matched(r, view):
    reg = view.registry
    return (reg is not None and valid_race_flags(r)
            and race_flags(r) != tuple(getattr(reg, name) for name in RACE_FIELDS))


@edit("U08", SECURE_ID, "sex", "STUDENT'S GENDER NOT MATCHED", nonpublic=False, scope="student",
      applies_to=(STUDENT,),
      solution="Sex code submitted does not match the student's gender in the Louisiana Secure ID system.")
def gender_not_matched(r, view):
    reg = view.registry
    return reg is not None and r.sex in view.ctx.codes["sex"] and r.sex != reg.sex.strip().upper()


# --- 020 Student record -----------------------------------------------------------------------

@edit("201", STUDENT, "site", "INVALID SITE CODE", reads=("site",),
      solution="Must be the 6 digit site code assigned by the Louisiana Department Education. The first three "
               "digits will always match the Sponsor Code.")
def invalid_site(r, ctx):
    """The site must be a school site of the reference list (not a postsecondary site)."""
    site = ctx.snapshot.sites.get(r.site)
    return site is None or site.kind != "school"


@edit("202", STUDENT, "sponsor", "SITE CODE DOES NOT MATCH SPONSOR CODE", reads=("site", "sponsor"),
      solution="The 6 digit site code assigned by the Louisiana Department Education. The first three digits "
               "will always match the Sponsor Code.")
def site_not_of_sponsor(r, ctx):
    """Reported at the sponsor code (column 11) as the guide does; a blank site is 201 only."""
    return not is_blank(r.site) and r.site[:3] != r.sponsor


@edit("203", STUDENT, "first_name", "INVALID FIRST NAME", reads=("first_name",),
      solution="For public schools, the first 1 letter of the student's first name are required. For "
               "non-public, the full first name is required.")
def invalid_first_name(r, ctx):
    return is_blank(r.first_name)


@edit("204", STUDENT, "last_name", "INVALID STUDENT LAST NAME", reads=("last_name",),
      solution="For public schools, the first 3 bytes of the student's last name are required. For "
               "non-public, the full last name is required.")
def invalid_last_name(r, ctx):
    return is_blank(r.last_name)


def valid_birth_day(raw: str) -> bool:
    return len(raw) == 2 and is_digits(raw) and "01" <= raw <= "31"


@edit("205", STUDENT, "birth_day", "INVALID BIRTH DATE", reads=("birth_day", "birth_date", "layout"),
      solution="For public schools, the 2 days of the month of the student's birth date is required. For "
               "non-public, the full birth date in the format of MMDDYYYY is required.")
def invalid_birth_date(r, ctx):
    """Public: day 01-31 (column 93). Nonpublic: a real MMDDYYYY date (column 91), not after today."""
    if r.layout == PUBLIC:
        return not valid_birth_day(r.birth_day)
    born = mmddyyyy(r.birth_date)
    return "birth_date" if born is None or born.year < 1900 or born > ctx.today else False


def valid_race_flags(r) -> bool:
    flags = [getattr(r, name) for name in RACE_FIELDS]
    return all(flag in ("Y", "N") for flag in flags) and "Y" in flags


@edit("206", STUDENT, "hispanic", "INVALID ETHNIC CODE", through="white", reads=RACE_FIELDS,
      solution="The six Ethnicity/Race Flags (bytes 139-144 on the 020 student record) all must be either Y "
               "or N. At least one flag must be Y. A student can have more than one Y.")
def invalid_ethnic_code(r, ctx):
    return not valid_race_flags(r)


@edit("207", STUDENT, "sex", "INVALID SEX CODE", reads=("sex",),
      solution="Sex Code must be 'M' or 'F'. M = Male, F = Female.")
def invalid_sex(r, ctx):
    return r.sex not in ctx.codes["sex"]


@edit("208", STUDENT, "grade", "INVALID GRADE PLACEMENT CODE", reads=("grade", "layout"),
      solution='Correct grade placement values are "08", "T9", "09", "10", "11", or "12"; public and charter '
               'schools may also send "06" and "07" (12/2017 layout).')
def invalid_grade(r, ctx):
    """06 and 07 only on the public layout (12/2017); the nonpublic layout keeps 08-12."""
    return r.grade not in ctx.codes["grade_placement"] or (r.layout == NONPUBLIC and r.grade in PUBLIC_ONLY_GRADES)


@edit("209", STUDENT, "grade9_entry", "INVALID GRADE 9 ENTRY YEAR", reads=("grade", "grade9_entry"),
      solution='Beginning School Session Year when the student entered the 9th grade. Correct values must be '
               'a 4 digit year. For example, use "2016" for the 2016-2017 school year. Must be equal to or less '
               'than BSSY for grades 09-12. Must be blank for grades 06-08.')
def invalid_grade9_entry(r, ctx):
    """Appendix K still says "blank for 08 and T9"; the 12/2017 layout and the training slides
    make T9 the following year, which edit 226 checks. Here: not a year, after the BSSY for
    09-12, or present for 06-08."""
    entry, grade = r.grade9_entry, r.grade
    if grade in NO_GRADE9_ENTRY:
        return not is_blank(entry)
    if grade == "T9":
        return not is_blank(entry) and year(entry) is None
    entry_year = year(entry)
    if grade in ctx.codes["grade_placement"]:
        return entry_year is None or entry_year > ctx.bssy
    return not is_blank(entry) and entry_year is None


@edit("226", STUDENT, "grade9_entry", "INVALID GRADE 9 ENTRY YEAR FOR T9", reads=("grade", "grade9_entry"),
      solution="Ninth Grade Entry Year less than Beginning School Session Year – not allowed for grade T9. "
               "A T9 student enters 9th grade next school year: the Grade 9 Entry Year is BSSY + 1.")
def invalid_t9_entry(r, ctx):
    if r.grade != "T9":
        return False
    entry_year = year(r.grade9_entry)
    return (is_blank(r.grade9_entry) or entry_year is not None) and entry_year != ctx.bssy + 1


@edit("210", STUDENT, "graduation_date", "INVALID GRADUATION DATE", reads=("graduation_date",),
      solution="Date a student graduated. Enter only after all graduation requirements are met. This date may "
               "not be in the future and must fall between 9/1 and 8/31 of the current Beginning School "
               "Session Year in order to match the OSFA Annual Academic Year. Leave blank if student did not "
               "graduate.")
def invalid_graduation_date(r, ctx):
    """Not a MMDDYYYY date, or more than two weeks after today (the data elements allow two
    weeks ahead for a ceremony; Appendix K's "not in the future" is the older wording)."""
    if is_blank(r.graduation_date):
        return False
    graduated = mmddyyyy(r.graduation_date)
    return graduated is None or graduated > ctx.today + GRAD_DATE_GRACE


@edit("211", STUDENT, None, "DUPLICATE STUDENT RECORD", scope="set",
      solution="There can only be one 020 Student record per student; if two students in the same year from "
               "the same LEA are using the same State ID they will receive this error.")
def duplicate_student(view):
    """Every 020 after the first for one State ID."""
    return view.duplicates


@edit("212", STUDENT, "career_option", "INVALID CAREER OPTION CODE", reads=("career_option",),
      solution="Identifies the Area of Concentration or Jumpstart Pathway for the student: C5 and C6 use "
               "A01-P06, CA uses R01-T17, CD uses CDV; otherwise leave blank.")
def invalid_career_option(r, ctx):
    """Only codes that exist at all; whether the code suits the pathway is 229."""
    return not is_blank(r.career_option) and r.career_option not in ctx.codes["career_option"]


@edit("213", STUDENT, "site", "SITE CODE NOT EQUAL TO SUBMITTING SITE", reads=("site", "sponsor"),
      solution="The site code must be a site the user submits for.")
def not_submitting_site(r, ctx):
    """With no explicit list every site of the sponsor submits; unknown sites are 201's."""
    if ctx.submitting_sites is not None:
        return r.site not in ctx.submitting_sites
    site = ctx.snapshot.sites.get(r.site)
    return site is not None and site.sponsor != r.sponsor


@edit("214", STUDENT, "grade", "GRAD DATE ONLY ALLOWED ON 11th & 12th GRADERS", reads=("grade", "graduation_date"),
      solution="Graduation Date only allowed for grades 11 and 12.")
def grad_date_below_11(r, ctx):
    """214 and 230 say the same thing; read as: 214 for the grade levels 06-10, 230 for the
    transitional placement T9 (a placement, not a grade level, that cannot graduate)."""
    return not is_blank(r.graduation_date) and r.grade in BELOW_GRADUATION


@edit("230", STUDENT, "grade", "GRADE PLACEMENT IS INVALID FOR GRADUATE", reads=("grade", "graduation_date"),
      solution="A graduate must be 11th or 12th grade to have a graduation date in STS.")
def grad_date_on_t9(r, ctx):
    return not is_blank(r.graduation_date) and r.grade == "T9"


@edit("215", STUDENT, "graduation_date", "GRAD DATE NOT WITHIN OSFA ACADEMIC YEAR", reads=("graduation_date",),
      solution="The graduation date is not between 9/1 and 8/31 of the BSSY.")
def grad_date_outside_year(r, ctx):
    graduated = mmddyyyy(r.graduation_date)
    first, last = ctx.school_year
    return graduated is not None and not first <= graduated <= last


@edit("218", STUDENT, "gee_flag", "GEE FLAG NOT Y, E, A, or G", reads=("gee_flag",),
      solution="GEE FLAG NOT Y, E, A, or G. Non-public schools may leave this data element blank.")
def invalid_gee_flag(r, ctx):
    """Blank is allowed here; a public graduate without the flag loses the graduation date
    (removal reason 4), it is not rejected."""
    return not is_blank(r.gee_flag) and r.gee_flag not in ctx.codes["gee_flag"]


@edit("220", STUDENT, "rank_position", "RANK MUST BE <= SIZE OF CLASS", reads=("rank_position", "rank_size"),
      solution="Rank of student should be between 1 and the class max. A student cannot be 12/10.")
def rank_above_class_size(r, ctx):
    """Both optional. When used they are zero-padded numbers, rank >= 1, and a rank needs a
    class size it does not exceed."""
    position, size = r.rank_position, r.rank_size
    if is_blank(position):
        return False if is_blank(size) else ("rank_size" if not is_digits(size) else False)
    if not is_digits(position) or int(position) < 1:
        return True
    return not is_digits(size) or int(position) > int(size)


ENDORSEMENT_LISTS = (  # field -> code list; career_endorsement values are 225's
    ("academic_endorsement", "academic_endorsement"),
    ("community_service", "community_service"),
    ("biliteracy_seal", "biliteracy_seal"),
)


@edit("221", STUDENT, "academic_endorsement", "ENDORSEMENTS FOR GRADS ONLY",
      reads=("graduation_date", "academic_endorsement", "career_endorsement", "community_service", "biliteracy_seal"),
      solution="Endorsements can only be placed on a record with a graduation date. If you are working on a "
               "record with endorsements without a graduation date, the record will not update until the "
               "endorsements are removed.")
def endorsement_on_non_graduate(r, ctx):
    """Academic and career/tech endorsements and the seal of biliteracy "must be blank if the
    graduation date is blank" (the data elements; the community service endorsement has no
    such rule). The catalog has no other code for an endorsement value that is not on its
    list, so such a value (academic, community service, seal) is reported here too."""
    for name, list_name in ENDORSEMENT_LISTS:
        value = getattr(r, name)
        if not is_blank(value) and value not in ctx.codes[list_name]:
            return name
    if is_blank(r.graduation_date):
        for name in ("academic_endorsement", "career_endorsement", "biliteracy_seal"):
            if not is_blank(getattr(r, name)):
                return name
    return False


# Graduation requirement: reported from the injected graduation check's reason '2'
# (engine.assess_student); it removes the graduation date instead of rejecting.
edit("223", STUDENT, None, "GRAD WITH < 23 (TU: 24) CREDITS EARNED", scope="graduation",
     severity=REMOVE_GRAD_DATE, grad_reason="2",
     solution="A student must have at least 23 credits (TU: 24) in order to graduate. This error appears when "
              "a student has fewer total credits/experiences. Check transcripts and course part numbers.")(None)


@edit("224", STUDENT, "diploma_path", "DIPLOMA PATH CODE REQUIRED", reads=("diploma_path",),
      solution="Every student must have a designated diploma path. This error occurs when the diploma path "
               "is blank. Please use ND, TU, CA, L1, NG, or other acceptable pathway.")
def missing_diploma_path(r, ctx):
    return is_blank(r.diploma_path)


@edit("225", STUDENT, "career_endorsement", "INVALID ENDORSEMENT FOR JUMPSTART",
      reads=("career_endorsement", "graduation_date", "diploma_path", "layout"),
      solution="Regional, Basic or Advanced Career Technical Endorsement (J1, J2, J3; J4 for Act 833) required "
               "for the Tech JumpStart Career Diploma.")
def invalid_jumpstart_endorsement(r, ctx):
    """A career/tech endorsement that is not B1, B2, J1-J4; or a public CA graduate without a
    Jumpstart credential J1-J4 (the digest's row for column 120 says J1-J4, its 225 row
    J1-J3; J4 is the Act 833 alternate credential of CA graduates, so it counts).
    Endorsements are "not applicable to nonpublic schools", so nonpublic CA graduates are
    not held to the credential here."""
    value = r.career_endorsement
    if not is_blank(value) and value not in ctx.codes["career_endorsement"]:
        return True
    return (r.layout == PUBLIC and r.diploma_path == "CA" and not is_blank(r.graduation_date)
            and value not in JUMPSTART_CREDENTIALS)


@edit("227", STUDENT, "local_id", "INVALID LOCAL IDENTIFICATION NUMBER", reads=("local_id", "state_id"),
      solution="Number is missing or null. The LEA-assigned student ID must be unique by student and must not "
               "match the SSN or Unique ID (LASID).")
def invalid_local_id(r, ctx):
    """Missing, or equal to the State ID (LASID or nonpublic SSN). Uniqueness across
    students is left to the Secure ID match (U05): the file is streamed student by student."""
    local = r.local_id.strip()
    return local == "" or local == r.state_id.strip()


@edit("228", STUDENT, "diploma_path", "GRADUATE MUST DECLARE A DIPLOMA PATHWAY",
      reads=("diploma_path", "graduation_date"),
      solution="Diploma Pathway Code Required for Students with Graduation Dates.")
def graduate_without_pathway(r, ctx):
    """A graduation date with ND, blank, or NG (on which "a student cannot graduate")."""
    return not is_blank(r.graduation_date) and r.diploma_path.strip() in ("", "ND", "NG")


@edit("229", STUDENT, "career_option", "INVALID CAREER OPTION CODE FOR DIPLOMA PATHWAY",
      reads=("career_option", "diploma_path"),
      solution="Career Option Code was sent for an invalid Diploma Pathway. CA students require a career "
               "option code between R01-T17. C5 and C6 students require a career option code between A01-P06. "
               "CD students require the career option code CDV.")
def career_option_wrong_for_pathway(r, ctx):
    """C5/C6 need an area of concentration, CA a Jumpstart pathway; CD takes only CDV, which
    batch files cannot send (350), so a CD student without one is left to removal reason 5;
    every other pathway takes no career option. Unknown codes are 212's."""
    if r.diploma_path not in ctx.codes["diploma_path"]:
        return False
    wanted = attrs_of("diploma_path", r.diploma_path).get("career_option", "none")
    option = r.career_option.strip()
    if option == "":
        return wanted in ("aoc", "jumpstart")
    if option not in ctx.codes["career_option"]:
        return False
    return career_option_kind(option) != wanted


@edit("231", STUDENT, "diploma_path", "INVALID DIPLOMA PATH", reads=("diploma_path", "grade9_entry"),
      solution="For students entering 9th grade in 2013 and prior, the Diploma Path must be C4, C5, C6 or CD. "
               "For students entering 9th grade in 2014 and after, the Diploma Path must be CA, TU or L1 "
               "(ND and NG are open to both).")
def pathway_wrong_for_cohort(r, ctx):
    entry = year(r.grade9_entry)
    if entry is None or r.diploma_path not in ctx.codes["diploma_path"]:
        return False
    attrs = attrs_of("diploma_path", r.diploma_path)
    low, high = attrs.get("min_grade9_entry"), attrs.get("max_grade9_entry")
    return (low is not None and entry < low) or (high is not None and entry > high)


@edit("232", STUDENT, "diploma_path", "INVALID DIPLOMA PATH", reads=("diploma_path",),
      solution="The Diploma Path must be one of C4, C5, C6, CA, TU, L1, CD, ND or NG.")
def unknown_diploma_path(r, ctx):
    return not is_blank(r.diploma_path) and r.diploma_path not in ctx.codes["diploma_path"]


@edit("233", STUDENT, "diploma_path", "DIPLOMA PATH NOT DECLARED", reads=("diploma_path", "grade"),
      solution='The "ND" Diploma Path is not a valid diploma path for students after April 1st of their 10th '
               'grade year.')
def pathway_still_undeclared(r, ctx):
    """ND on an 11th or 12th grader, or on a 10th grader from April 1 of the school year on."""
    if r.diploma_path != "ND":
        return False
    return r.grade in GRADUATION_GRADES or (r.grade == "10" and ctx.today >= dt.date(ctx.bssy + 1, 4, 1))


# GEE flag -> results a subject area may carry (blank is always allowed).
SUBJECT_RESULTS_FOR_GEE = {"Y": "", "E": "", "A": "AP", "G": "GP", "": "P"}


@edit("234", STUDENT, "gee_flag", "GEE AND SUBJECT FLAG COMBO IS INVALID", public=True, nonpublic=False,
      reads=("gee_flag", *EOC_FIELDS),
      solution="When GEE is Y, Subject Flag must be blank. When GEE is E, Subject Flag must be blank. When GEE "
               "is A, Subject Flag must be A or P. When GEE is G, Subject Flag must be G or P.")
def gee_subject_combo(r, ctx):
    """Subject flags may be blank ("Null if not applicable or requirement not met"). With a
    blank GEE flag only P may appear ("If A is entered in the subject area an A should be in
    position 122"); G exists for ELA and math only. An invalid GEE flag is 218's."""
    allowed = SUBJECT_RESULTS_FOR_GEE.get(r.gee_flag.strip())
    if allowed is None:
        return False
    for name in EOC_FIELDS:
        result = getattr(r, name).strip()
        if result and (result not in allowed or name not in attrs_of("eoc_result", result).get("subjects", ())):
            return True
    return False


@edit("241", STUDENT, "fafsa", "INVALID FAFSA APPLICATION FLAG", nonpublic=False, reads=("fafsa",),
      solution="The FAFSA Application Flag is optional for non-graduates and required when the graduation date "
               "is entered. When populated, it must contain a number between 1 and 4: 1 = FAFSA Completion, "
               "2 = TOPS Form Completion, 3 = Parent/Guardian Waiver, 4 = Hardship Waiver.")
def invalid_fafsa(r, ctx):
    return not is_blank(r.fafsa) and r.fafsa not in ctx.codes["fafsa"]


@edit("242", STUDENT, "fafsa", "STS FAFSA OR LOSFA FAFSA REQUIRED FOR GRADUATE", nonpublic=False,
      reads=("fafsa", "graduation_date"),
      solution="Graduates are required to have a value in either the STS FAFSA field or the LOSFA FAFSA field.")
def graduate_without_fafsa(r, ctx):
    """STS holds no LOSFA FAFSA field, so the STS flag is required of every public graduate."""
    return not is_blank(r.graduation_date) and is_blank(r.fafsa)


@edit("349", STUDENT, "diploma_path", "INVALID DIPLOMA PATH - STUDENT NOT ASSESSED ON LAA1", nonpublic=False,
      scope="student",
      solution="L1 Diploma Path is only allowed for students assessed on LAA1 as indicated in SER.")
def l1_without_laa1(r, view):
    """Listed with the 030 messages in Appendix K but about column 145 of the 020; needs the
    registry's LAA1 flag (an unknown student is U02's)."""
    return r.diploma_path == "L1" and view.registry is not None and not view.registry.laa1


@edit("350", STUDENT, "career_option", "CDV CAREER OPTION MUST BE ENTERED ONLINE", online_only=True,
      scope="student",
      solution="CDV Career Option must be entered online.")
def cdv_in_batch(r, view):
    """Fires on batch records only (online entry has line 0)."""
    return r.line > 0 and r.career_option == "CDV"
