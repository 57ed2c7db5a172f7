"""050 IBC record edits (Appendix K "Error Messages for STS IBC Records (050)").

The 050's local ID and partial names "must match student data in eScholar" (Appendix E):
the Secure ID edits U03-U05 run on public 050s too (see student.py).
"""

from __future__ import annotations

from transcripts.records import IBC, IBC_LENGTH, PUBLIC, is_blank, link_key, year

from .model import edit
from .student import valid_state_id


@edit("500", IBC, None, "INVALID 050 RECORD LENGTH", reads=("length",),
      solution="The 050 records are 63 characters in length.")
def invalid_ibc_length(r, ctx):
    return r.length != IBC_LENGTH


@edit("503", IBC, "bssy", "INVALID BSSY", reads=("bssy",),
      solution="BSSY is Beginning School Session Year, so for the school year 2018-2019 the BSSY is 2018. Must "
               "match the year you are uploading to.")
def ibc_other_bssy(r, ctx):
    return r.bssy != ctx.bssy_text


@edit("504", IBC, "sponsor", "INVALID SPONSOR CODE", scope="student",
      solution="Your sponsor code ranges from 001 to W99. Your sponsor code is also the first 3 digits of your "
               "e# login. You are only allowed to upload sponsor data that you have permissions set for.")
def ibc_other_sponsor(r, view):
    """A known sponsor, and the submitting one (the run's, else the student's 020's)."""
    ctx = view.ctx
    submitting = ctx.sponsor or (view.student.sponsor if view.student is not None else None)
    return r.sponsor not in ctx.snapshot.sponsors or (submitting is not None and r.sponsor != submitting)


@edit("507", IBC, "state_id", "INVALID STUDENT UNIQUE ID", scope="student",
      solution="The student unique id must match what is in STS and eScholar. For nonpublic schools, the 9 "
               "character id is accepted.")
def invalid_ibc_student(r, view):
    """Well formed (10-digit LASID; nonpublic 9 digits, space- or zero-padded), in the Secure
    ID registry (public), and a student of this file or already on file."""
    if r.layout == PUBLIC:
        if not valid_state_id(r.state_id, PUBLIC) or view.registry is None:
            return True
    elif not valid_state_id(link_key(r), r.layout):
        return True
    return not view.on_file


@edit("510", IBC, "ibc_code", "INVALID IBC CODE", reads=("ibc_code", "vendor"),
      solution="The IBC code is found in the IBC matrix found at www.louisianabelieves.com. The optional Test "
               "Vendor must be on the list of current vendors.")
def invalid_ibc_code(r, ctx):
    """Also the optional test vendor (column 51), which has no code of its own: reported here
    at the vendor's column."""
    if r.ibc_code not in ctx.snapshot.ibc_codes:
        return True
    return "vendor" if not is_blank(r.vendor) and r.vendor not in ctx.snapshot.test_vendors else False


@edit("511", IBC, "semester_earned", "INVALID SEMESTER EARNED CODE", reads=("semester_earned",),
      solution="The semester in which the IBC was earned. 1 = Fall, 2 = Spring, 3 = Summer.")
def invalid_ibc_semester(r, ctx):
    return r.semester_earned not in ctx.codes["ibc_semester"]


@edit("512", IBC, "year_earned", "INVALID YEAR IBC EARNED", reads=("year_earned",),
      solution="Must be the BSSY in which the student earned the IBC (ex. 2017). Cannot be in a future year.")
def invalid_ibc_year(r, ctx):
    earned = year(r.year_earned)
    return earned is None or earned > ctx.bssy


@edit("513", IBC, "pass_fail", "INVALID P/F CODE", scope="set",
      solution="Whether the student passed or failed the IBC. Accepted entries are P = Passed or F = Failed. "
               "Only 1 pass and 1 fail is allowed per IBC.")
def invalid_pass_fail(view):
    """Not P or F, or a second P (or second F) for the same IBC code of the student."""
    seen = set()
    for r in view.ibcs:
        if r.pass_fail not in view.ctx.codes["pass_fail"]:
            yield r
            continue
        key = (r.ibc_code, r.pass_fail)
        if key in seen:
            yield r
        seen.add(key)


@edit("514", IBC, "earned_sponsor", "INVALID SPONSOR CODE WHERE IBC WAS EARNED", reads=("earned_sponsor",),
      solution="The 3 digit sponsor code from where the student earned this IBC. Please check the master "
               "sponsor code list to find the appropriate sponsor code.")
def invalid_earned_sponsor(r, ctx):
    return r.earned_sponsor not in ctx.snapshot.sponsors


@edit("515", IBC, "earned_site", "INVALID SITE CODE WHERE IBC WAS EARNED", reads=("earned_site", "earned_sponsor"),
      solution="The 6 digit site code where the student earned the IBC; its first 3 digits are the sponsor "
               "code where the IBC was earned.")
def invalid_earned_site(r, ctx):
    return r.earned_site not in ctx.snapshot.sites or r.earned_site[:3] != r.earned_sponsor
