"""The fixed code lists of the STS User Guide (Appendices B-D, G, I), as data.

Each list is a tuple of `Code(code, name, attrs)` in the guide's order. Where the guide
disagrees with itself the later revision wins (12/2017 public layout, training slides); the
reading is noted next to the list. `codes(name)` gives the bare code set used by the edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Mapping


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    attrs: Mapping = field(default_factory=dict)


def _plain(*pairs: tuple[str, str], **attrs) -> tuple[Code, ...]:
    return tuple(Code(code, name, dict(attrs)) for code, name in pairs)


# Grade placement. Appendix B (12/2017 public layout) accepts 6-8 and T9-12; Appendices C/D
# and the nonpublic layout (09/2015) list 08, T9, 09-12 only, so 06 and 07 are public-only.
GRADE_PLACEMENT = (
    Code("06", "6th grade", {"nonpublic": False}),
    Code("07", "7th grade", {"nonpublic": False}),
    Code("08", "8th grade", {"nonpublic": True}),
    Code("T9", "Transitional 9th grade", {"nonpublic": True}),
    Code("09", "9th grade", {"nonpublic": True}),
    Code("10", "10th grade", {"nonpublic": True}),
    Code("11", "11th grade", {"nonpublic": True}),
    Code("12", "12th grade", {"nonpublic": True}),
)

# Semester codes: the guide lists the codes without expanding them; names follow the usual
# reading of the codes (Block, Carnegie/trimester, Semester, summer/interSession, Year).
SEMESTER = _plain(
    ("B1", "Block 1"), ("B2", "Block 2"), ("B3", "Block 3"), ("B4", "Block 4"),
    ("C1", "Carnegie term 1"), ("C2", "Carnegie term 2"),
    ("S1", "Semester 1"), ("S2", "Semester 2"),
    ("Z1", "Summer session 1"), ("Z2", "Summer session 2"),
    ("Y1", "Full year"),
)

LETTER_GRADE = (
    Code("A", "A", {"passing": True, "graded": True}),
    Code("B", "B", {"passing": True, "graded": True}),
    Code("C", "C", {"passing": True, "graded": True}),
    Code("D", "D", {"passing": True, "graded": True}),
    Code("F", "F", {"passing": False, "graded": True}),
    Code("P", "Pass", {"passing": True, "graded": False}),
    Code("E", "Exempt (core curriculum waiver)", {"passing": False, "graded": False}),
)

# `dual_enrollment`: DE/DA/DI carry postsecondary credit hours and a DE secondary site
# (030 columns 176-185). `ap`: the types that count as the AP course type for the
# "AP optional/required" course list (Appendix H).
COURSE_TYPE = (
    Code("RG", "Regular", {"dual_enrollment": False, "ap": False}),
    Code("HR", "Honors", {"dual_enrollment": False, "ap": False}),
    Code("GT", "Gifted", {"dual_enrollment": False, "ap": False}),
    Code("TA", "Talented", {"dual_enrollment": False, "ap": False}),
    Code("SE", "Special Education", {"dual_enrollment": False, "ap": False}),
    Code("DE", "Dual Enrollment", {"dual_enrollment": True, "ap": False}),
    Code("DA", "Dual Enrollment and AP", {"dual_enrollment": True, "ap": True}),
    Code("DI", "Dual Enrollment and IB", {"dual_enrollment": True, "ap": False}),
    Code("AP", "Advanced Placement", {"dual_enrollment": False, "ap": True}),
    Code("IB", "International Baccalaureate", {"dual_enrollment": False, "ap": False}),
)

DISTANCE_LEARNING = _plain(
    ("01", "Local LEA Provided Online Courses"),
    ("02", "Distance Learning Satellite courses"),
    ("03", "Other Distance Learning"),
    ("04", "Course Choice/Supplemental Course Providers"),
    ("05", "Dropout Recovery Program Providers"),
)

ACADEMIC_ENDORSEMENT = _plain(
    ("A1", "Academic Endorsement with senior project"),
    ("A2", "Academic Endorsement with 1 unit AP course"),
    ("A3", "Academic Endorsement with 1 IB course"),
    ("A4", "Academic Endorsement with 3 units non-remedial articulated college credit in core area"),
)

# `jumpstart`: the credential codes a CA (Jumpstart TOPS Tech) graduate must carry (edit 225).
# J4 is the Act 833 alternate credential; Act 833 students graduate on CA too.
CAREER_ENDORSEMENT = (
    Code("B1", "Career/Tech Endorsement with BESE approved industry-based certificate", {"jumpstart": False}),
    Code("B2", "Career/Tech Endorsement with 3 college hours in career tech area", {"jumpstart": False}),
    Code("J1", "Basic Credential", {"jumpstart": True}),
    Code("J2", "Regional Credential", {"jumpstart": True}),
    Code("J3", "Advanced Credential", {"jumpstart": True}),
    Code("J4", "Alternate Credential (Act 833 Only)", {"jumpstart": True}),
)

COMMUNITY_SERVICE = _plain(("C1", "Community Service Endorsement"))

BILITERACY_SEAL = _plain(
    ("D1", "AP course (test score 3 or higher)"),
    ("D2", "1 IB course (test score 4 or higher)"),
    ("D3", "DOE-approved equivalent summative test"),
    ("D4", "4 units in World Language/7 units or more in world language immersion"),
    ("D5", "Internationally-benchmarked language exam (DELF, DELE, ACTFL)"),
    ("D6", "Primary Language w/Early Advanced on ELDA; DOE-approved equivalent summative test"),
)

# Met GEE/EOC flag. Appendix D's definition still says "Y, E or blank" but lists A and G
# below it and edit 218 reads "NOT Y, E, A, or G": all four are valid.
GEE_FLAG = _plain(
    ("Y", "Met graduation assessment requirements on GEE or EOC"),
    ("E", "Exempt from GEE/EOC requirements"),
    ("A", "Act 833: assessment requirement met through alternate means"),
    ("G", "LAA1: met through LAA1 results or growth portfolio"),
)

# EOC subject-area results (020 columns 153-156). G (LAA1 growth portfolio) exists for ELA
# and math only; science and social studies are "not required for students assessed on LAA1".
_ALL_SUBJECTS = ("eoc_ela", "eoc_math", "eoc_science", "eoc_social_studies")
EOC_RESULT = (
    Code("P", "Passed (or exceeds/meets on LAA1)", {"subjects": _ALL_SUBJECTS}),
    Code("A", "Act 833: met through alternate means", {"subjects": _ALL_SUBJECTS}),
    Code("G", "LAA1 growth portfolio", {"subjects": ("eoc_ela", "eoc_math")}),
)

FAFSA = _plain(
    ("1", "FAFSA Completion"),
    ("2", "TOPS Form Completion"),
    ("3", "Parent/Guardian Waiver"),
    ("4", "Hardship Waiver"),
)

# Diploma pathways ("All Available Diploma Paths in STS" and Appendix D). Grade-9 entry
# bounds drive edit 231 (<= 2013: C4 C5 C6 CD; >= 2014: TU CA L1; ND and NG open).
# `career_option` is the kind of career option code the pathway takes (edits 212/229):
# C5 and C6 an area of concentration (the training slide's "001-016" for C5 is an older
# numbering; Appendix K and the data elements say A01-P06), CA a Jumpstart pathway, CD the
# online-only CDV, every other pathway none.
DIPLOMA_PATH = (
    Code("C4", "Core 4", {"min_grade9_entry": None, "max_grade9_entry": 2013, "career_option": "none"}),
    Code("C5", "Basic Core", {"min_grade9_entry": None, "max_grade9_entry": 2013, "career_option": "aoc"}),
    Code("C6", "Core 4 with CTE", {"min_grade9_entry": None, "max_grade9_entry": 2013, "career_option": "aoc"}),
    Code("CA", "Jumpstart TOPS Tech Career Diploma", {"min_grade9_entry": 2014, "max_grade9_entry": None, "career_option": "jumpstart"}),
    Code("TU", "TOPS University Diploma", {"min_grade9_entry": 2014, "max_grade9_entry": None, "career_option": "none"}),
    Code("L1", "Jumpstart Career Diploma (LAA1)", {"min_grade9_entry": 2014, "max_grade9_entry": None, "career_option": "none"}),
    Code("CD", "Historical Career Diploma", {"min_grade9_entry": None, "max_grade9_entry": 2013, "career_option": "cdv"}),
    Code("ND", "Not Declared", {"min_grade9_entry": None, "max_grade9_entry": None, "career_option": "none"}),
    Code("NG", "Non Graduate (COA or HiSet)", {"min_grade9_entry": None, "max_grade9_entry": None, "career_option": "none"}),
)

# Appendix I. The PDF table prints all codes first and then all names in the same order;
# names are kept as printed (including the guide's spelling, e.g. "COLLISON", "DIGITIL").
_AOC = (
    ("A01", "AG,FOOD,NAT RES AG PROD/MGT/ENTREP"),
    ("A02", "AG,FOOD,NAT RES ANIMAL SCI"),
    ("A03", "AG,FOOD,NAT RES FORESTRY&CONSERVATION"),
    ("A04", "AG,FOOD,NAT RES HORTICULTURE"),
    ("B01", "ARCHIT,CONSTR – AC&REFRGN,HEAT&VENT"),
    ("B02", "ARCHIT,CONSTR – ARCHITECTURE"),
    ("B03", "ARCHIT,CONSTR – CABINETMAKING"),
    ("B04", "ARCHIT,CONSTR – CARPENTRY&CONSTRUCTION"),
    ("B05", "ARCHIT,CONSTR – DRAFTING"),
    ("B06", "ARCHIT,CONSTR ELECTRICAL/ELECTRONICS"),
    ("B07", "ARCHIT,CONSTR – MASONRY"),
    ("B08", "ARCHIT,CONSTR – PLUMBING"),
    ("C01", "ARTS,AVTECH, COMM COMMERCIAL ARTS"),
    ("C02", "ARTS,AVTECH, COMM ENTERTAINMENT PROD"),
    ("C03", "ARTS,AVTECH, COMM GRAPHIC ARTS"),
    ("C04", "ARTS,AVTECH, COMM – INTERIORS&FURNISHING"),
    ("C05", "ARTS,AVTECH, COMM – JOURNALISM"),
    ("C06", "ARTS,AVTECH, COMM – LIBERAL ARTS"),
    ("C07", "ARTS,AVTECH, COMM MASS COMMUNICATIONS"),
    ("C08", "ARTS,AVTECH, COMM PERFORMING ARTS"),
    ("C09", "ARTS,AVTECH, COMM PHOTOGRAPHY"),
    ("C10", "ARTS,AVTECH, COMM PRINTING TECHNOLOGY"),
    ("D01", "BUS,MGMT,ADMIN ADMINISTRATIVE SUPPORT"),
    ("D02", "BUS,MGMT,ADMIN BUSINESS ADMINISTRATION"),
    ("E01", "EDU,TRNG ADVANCED STUDIES/LA CORE 4"),
    ("E02", "EDU,TRNG EDUCATION"),
    ("E03", "EDU,TRNG – GENERAL STUDIES"),
    ("F01", "FIN BANKING AND FINANCE (NAF ACADEMY)"),
    ("F02", "FIN – ECONOMICS"),
    ("G01", "GOV, PUBADMIN JROTC"),
    ("H01", "HLTHSCI DENTAL"),
    ("H02", "HLTHSCI EMERGENCY HEALTH CARE"),
    ("H03", "HLTHSCI HEALTH PROFESSIONALS"),
    ("H04", "HLTHSCI NURSING"),
    ("H05", "HLTHSCI NUTRITION AND FOOD"),
    ("H06", "HLTHSCI PHARMACY"),
    ("H07", "HLTHSCI SPORTS MEDICINE"),
    ("I01", "HOSP,TR CULINARY ARTS"),
    ("I02", "HOSP,TR TOURISM AND LODGING"),
    ("J01", "HUMSERV CHILD DEVELOPMENT SERVICES"),
    ("J02", "HUMSERV MGMT OF FAMILY RESOURCES"),
    ("J03", "HUMSERV PERSONALCARESVS (COSM,BARB)"),
    ("J04", "HUMSERV SOCIAL SERVICES"),
    ("K01", "INFOTECH AOIT (NAF ACAD OF IT)"),
    ("K02", "INFOTECH COMPUTER ELECTRONICS"),
    ("K03", "INFOTECH – COMPUTER ENG SYS(ORACLE INET)"),
    ("K04", "INFOTECH – COMPUTER SCIENCE"),
    ("K05", "INFOTECH – INFORMATION SYSTEMS"),
    ("K06", "INFOTECH – NETWORK SERVICES & OPERATIONS"),
    ("L01", "LAW,PUBSAFE,CORR,SECU LAW ENFT SVS"),
    ("L02", "LAW,PUBSAFE,CORR,SECU LEGALSVS"),
    ("M01", "MANUF INDUSTRIAL OPERATIONS"),
    ("M02", "MANUF JEWELRY"),
    ("M03", "MANUF MANUF LAB TECHNOLOGY"),
    ("M04", "MANUF – PETRO CHEMICAL"),
    ("M05", "MANUF – WELDING"),
    ("N01", "MKT,SALES,SVCS CLOTHING & TEXTILES"),
    ("N02", "MKT,SALES,SVCS ENTREPRENEURSHIP"),
    ("N03", "MKT,SALES,SVCS MARKETING & SALES MNGMT"),
    ("N04", "MKT,SALES,SVCS UPHOLSTERY"),
    ("O01", "SCI,TECH,ENG,MATHS – BIOTECH RES & DEV"),
    ("O02", "SCI,TECH,ENG,MATHS – DRAFTING"),
    ("O03", "SCI,TECH,ENG,MATHS – ENGINEERING"),
    ("P01", "TRANSP,DSTR,LOG AUTOMOTIVE TECHNOLOGY"),
    ("P02", "TRANSP,DSTR,LOG COLLISION REPAIR TECH"),
    ("P03", "TRANSP,DSTR,LOG DIESEL MECHANICS"),
    ("P04", "TRANSP,DSTR,LOG MARINE OPERATIONS"),
    ("P05", "TRANSP,DSTR,LOG POWER MECHANICS"),
    ("P06", "TRANSP,DSTR,LOG – TRANSP OPERATIONS"),
)

# Jumpstart (CA) pathways: R = regional, S = statewide, T = integrated. The last page of the
# table prints "MANF CONST CRAFT LOGISTIC STEM TECHNOLOGY SPECIALIST MARITIME PRE ENGINEERING
# DIGITIL DESIGN AND MEDIA ENVIRONMENTAL PROTECTION" for T06 T07 T08 T10 T15 T16 T17; read as
# Manufacturing, Construction Crafts & Logistics / STEM / Technology Specialist / Maritime /
# Pre-Engineering / Digital Design and Media / Environmental Protection.
_JUMPSTART = (
    ("R01", "BUSINESS MANAGEMENT"),
    ("R02", "WELDER HELPER"),
    ("R03", "MICRO-ENTERPRISE"),
    ("R11", "COMMERCIAL DRIVER"),
    ("R12", "MASON"),
    ("R21", "SHEET METAL"),
    ("R22", "PUBLIC SERVICE"),
    ("R31", "CARPENTER HELPER"),
    ("R32", "WORKPLACE SAFETY"),
    ("R33", "ELECTRICIAN HELPER"),
    ("R34", "PIPEFITTER HELPER"),
    ("R35", "EARLY CHILDHOOD"),
    ("S01", "AUTOMOTIVE SERVICE"),
    ("S02", "CARPENTER"),
    ("S03", "CERT MECH DRAFTER"),
    ("S04", "CERT NURSING ASSISTANT"),
    ("S05", "COLLISON REPAIR"),
    ("S06", "ELECTRICIAN"),
    ("S07", "EMERGENCY MEDICAL TECH"),
    ("S08", "FASHION DESIGN"),
    ("S09", "FOUR STROKE ENGINE TECH"),
    ("S10", "HVAC TECH"),
    ("S11", "INDUSTRIAL MAINT MECHANIC"),
    ("S12", "INTERNET WEB FOUNDATIONS"),
    ("S13", "MANUFACTURING SPECIALIST"),
    ("S14", "MOBILE CRANE OPERATOR"),
    ("S15", "OIL & GAS T2 SAFETY SYS"),
    ("S16", "PIPEFITTER"),
    ("S17", "PLUMBER"),
    ("S18", "PROSTART/RESTAURANT"),
    ("S19", "WEB DESIGN PROFESSIONAL"),
    ("S20", "WELDER"),
    ("S21", "CYBER ENGINEERING"),
    ("S22", "DENTAL"),
    ("S23", "INDUST MAINT MECH HELPER"),
    ("T01", "AGRICULTURE TECH"),
    ("T02", "DIGITAL MEDIA & ENTERTAIN"),
    ("T03", "HEALTH SCIENCES/PAT CARE"),
    ("T04", "HOSP TOUR CULINARY RETAIL"),
    ("T05", "INFORMATION TECHNOLOGY"),
    ("T06", "MANF CONST CRAFT LOGISTIC"),
    ("T07", "STEM"),
    ("T08", "TECHNOLOGY SPECIALIST"),
    ("T10", "MARITIME"),
    ("T15", "PRE ENGINEERING"),
    ("T16", "DIGITIL DESIGN AND MEDIA"),
    ("T17", "ENVIRONMENTAL PROTECTION"),
)

CAREER_OPTION = (
    tuple(Code(code, name, {"kind": "aoc"}) for code, name in _AOC)
    + tuple(Code(code, name, {"kind": "jumpstart"}) for code, name in _JUMPSTART)
    # Historical Career Diploma (CD); may only be entered online (edit 350).
    + (Code("CDV", "Historical Career Diploma", {"kind": "cdv"}),)
)

CODE_LISTS: dict[str, tuple[Code, ...]] = {
    "grade_placement": GRADE_PLACEMENT,
    "semester": SEMESTER,
    "letter_grade": LETTER_GRADE,
    "course_type": COURSE_TYPE,
    "distance_learning": DISTANCE_LEARNING,
    "academic_endorsement": ACADEMIC_ENDORSEMENT,
    "career_endorsement": CAREER_ENDORSEMENT,
    "community_service": COMMUNITY_SERVICE,
    "biliteracy_seal": BILITERACY_SEAL,
    "gee_flag": GEE_FLAG,
    "eoc_result": EOC_RESULT,
    "fafsa": FAFSA,
    "diploma_path": DIPLOMA_PATH,
    "career_option": CAREER_OPTION,
    "sex": _plain(("M", "Male"), ("F", "Female")),
    "ibc_semester": _plain(("1", "Fall"), ("2", "Spring"), ("3", "Summer")),
    "pass_fail": _plain(("P", "Passed"), ("F", "Failed")),
    "yes_no": _plain(("Y", "Yes"), ("N", "No")),
}


# Each list under the name of the record field the guide gives it (Help -> Code lists).
GUIDE_NAMES: dict[str, str] = {
    "grade_placement": "Grade Placement Code (020)", "semester": "Semester Code (030)",
    "letter_grade": "Letter Grade Code (030)", "course_type": "Course Type Code (030)",
    "distance_learning": "Distance Learning Course Type Code (030)",
    "academic_endorsement": "Academic Endorsement Code (020)",
    "career_endorsement": "Career/Tech Endorsement Code (020)",
    "community_service": "Community Service Endorsement (020)",
    "biliteracy_seal": "State Seal of Bi-literacy Endorsement (020)", "gee_flag": "Met GEE/EOC Flag (020)",
    "eoc_result": "EOC Subject Area (ELA, Math, Science, Social Studies) (020)",
    "fafsa": "FAFSA Application Flag (020)", "diploma_path": "Diploma Pathway (020)",
    "career_option": "Career Option Code (020)", "sex": "Sex Code (020)",
    "ibc_semester": "Semester IBC Earned (050)", "pass_fail": "Pass/Fail (050)",
    "yes_no": "Yes/No flags (Parental Consent, Core Curriculum Waiver, ...)",
}


def guide_name(list_name: str) -> str:
    """"Academic Endorsement Code (020)" for "academic_endorsement"; an unknown list (added in the
    admin) in words."""
    return GUIDE_NAMES.get(list_name) or list_name.replace("_", " ").capitalize()


@cache
def codes(list_name: str) -> frozenset[str]:
    """The bare codes of one list, e.g. `codes("semester")`."""
    return frozenset(c.code for c in CODE_LISTS[list_name])


def attrs_of(list_name: str, code: str) -> Mapping:
    """The attrs of one code ({} when the code is not on the list)."""
    return _ATTRS[list_name].get(code, {})


def codes_where(list_name: str, attr: str, value=True) -> frozenset[str]:
    """Codes of a list whose attr equals value, e.g. the dual-enrollment course types."""
    return frozenset(c.code for c in CODE_LISTS[list_name] if c.attrs.get(attr) == value)


def career_option_kind(code: str) -> str | None:
    """aoc | jumpstart | cdv for a career option code; codes added later to the reference
    tables are classified by their letter (R/S/T Jumpstart, A-P area of concentration)."""
    kind = attrs_of("career_option", code).get("kind")
    if kind or len(code) != 3:
        return kind
    if code[0] in "RST":
        return "jumpstart"
    if "A" <= code[0] <= "P":
        return "aoc"
    return None


_ATTRS = {name: {c.code: c.attrs for c in items} for name, items in CODE_LISTS.items()}
