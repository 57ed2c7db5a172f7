"""File-level problems ("a global problem ... rejects the file"): catalog entries only; the
batch scan (uploads.validation) raises them as FileError with the line and field."""

from __future__ import annotations

from .model import declare

FILE = "file"

declare("EMPTY", FILE, "FILE HOLDS NO RECORDS",
        solution="The file is empty or holds only blank lines. Send a fixed-width text file of 020, 030 and "
                 "050 records.")
declare("SYSTEM", FILE, "INVALID SYSTEM INDICATOR",
        solution='Every record must start with the System Indicator "STS" (columns 1-3, uppercase).')
declare("RECORD_TYPE", FILE, "INVALID TRANSACTION CODE",
        solution='The Transaction Code (columns 4-6) must be "020" (student), "030" (transcript) or "050" (IBC).')
declare("LENGTH", FILE, "INVALID RECORD LENGTH",
        solution="020 and 030 records are 200 characters long, followed by carriage return and line feed (or "
                 "line feed alone). Pad every field to its full width with spaces.")
declare("BSSY", FILE, "BSSY DOES NOT MATCH THE UPLOAD",
        solution="All records in the file carry the same Beginning School Session Year (columns 7-10), the year "
                 "chosen for the upload (2019 for 2019-2020).")
declare("SPONSOR", FILE, "INVALID SPONSOR CODE FOR THE FILE",
        solution="All 020 and 030 records carry the same Sponsor Code (columns 11-13): a school sponsor (LEA, "
                 "charter or nonpublic school) that you may submit for.")
declare("UNREADABLE", FILE, "FILE COULD NOT BE READ",
        solution="Upload the .txt batch file again.")
