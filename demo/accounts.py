"""The demo's accounts, collection period and uploaded batches for `make run` (not used in production)."""
import datetime as dt

DEMO_PASSWORD = "Bayou#Ledger25"
DEMO_BSSY = 2025

# (user ID, group, sponsor, sites, what it shows)
DEMO_USERS = [
    ("E017ALL", "lea-all", "017", "", "LEA coordinator with all rights (security, certify, upload)"),
    ("E017UPL", "lea-upload", "017", "", "LEA data coordinator: update and upload"),
    ("E017UPD", "lea-update", "017", "", "LEA user: online update only"),
    ("E017INQ", "lea-inquiry", "017", "", "LEA inquiry only"),
    ("E017SC1", "school-update", "017", "017001", "school-level user of site 017001"),
    ("E017SU2", "school-upload", "017", "017002", "school-level uploader of site 017002"),
    ("EW3BALL", "lea-all", "W3B", "", "charter school coordinator"),
    ("EN52ALL", "lea-all", "N52", "", "nonpublic school coordinator"),
    ("E036ALL", "lea-all", "036", "", "coordinator of another LEA"),
    ("ELDOE01", "ldoe", "", "", "LDOE data management (reference tables, periods)"),
    ("ELOSCOR", "losfa-core-tables", "", "", "LOSFA core tables update"),
    ("ELOSINQ", "losfa-inquiry", "", "", "LOSFA inquiry"),
    ("EBORINQ", "bor-inquiry", "", "", "Board of Regents inquiry"),
]


# (sponsor, students, share with an error, who uploads): loaded through the batch pipeline.
# Names and mailboxes of the demo users (the Security screen lists names; "Forgot your password?"
# mails a link, written under var/mail/ by `make run`).
DEMO_NAMES = {
    "E017ALL": ("Claire", "Broussard"), "E017UPL": ("Luc", "Thibodeaux"), "E017UPD": ("Amelie", "Guidry"),
    "E017INQ": ("Pierre", "Landry"), "E017SC1": ("Josette", "Hebert"), "E017SU2": ("Remy", "Fontenot"),
    "EW3BALL": ("Nadia", "Arceneaux"), "EN52ALL": ("Paul", "Boudreaux"), "E036ALL": ("Celeste", "Doucet"),
    "ELDOE01": ("Marie", "Comeaux"), "ELOSCOR": ("Henri", "Mouton"), "ELOSINQ": ("Odile", "Savoie"),
}


def demo_email(user_id: str) -> str:
    return f"{user_id.lower()}@demo.invalid"


DEMO_BATCHES = [
    ("017", 450, 0.05, "E017UPL"),
    ("W3B", 90, 0.05, "EW3BALL"),
    ("N52", 60, 0.05, "EN52ALL"),
]


def demo_period():
    """The demo's collection period: open today so the demo can be written to."""
    return {"opens": dt.date(DEMO_BSSY, 12, 1), "closes": dt.date(DEMO_BSSY + 2, 6, 30), "is_current": True}
