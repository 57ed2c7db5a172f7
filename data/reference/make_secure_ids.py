"""Write secure_ids.csv: an ILLUSTRATIVE Secure ID (eScholar) registry of made-up students.

Deterministic (fixed seed): running it again rewrites the same file. Only public and charter
students are in the registry; nonpublic students carry their own PII in STS.

    python data/reference/make_secure_ids.py            # writes secure_ids.csv next to this file
    python data/reference/make_secure_ids.py OUT.csv

Grades are not a registry column: a student's intended grade in BSSY 2025 follows from the birth
date (on-time students are grade + 5 years old on September 1, 2025; about 1 in 8 is a year or two
older, as after a retention).
"""
import csv
import datetime as dt
import random
import sys
from dataclasses import dataclass
from pathlib import Path

SEED = 20250901
CURRENT_BSSY = 2025
AGE_DATE = dt.date(CURRENT_BSSY, 9, 1)  # age cut-off date used for the grade <-> birth date link

HEADER = ["unique_id", "sponsor_code", "site_code", "local_id", "first_name", "last_name",
          "birth_date", "sex", "hispanic", "american_indian", "asian", "black", "pacific_islander",
          "white", "laa1", "act833", "ssn_on_file"]
RACE_FLAGS = HEADER[8:14]
# About 1 student in 40 has no SSN in the registry (the "No PII found" report). Decided from the
# unique ID, not the generator's random stream, so the other columns stay as they were.
NO_SSN_EVERY = 40


@dataclass(frozen=True)
class Roster:
    sponsor: str
    site: str
    students: int
    grade_weights: dict  # grade -> relative weight
    local_id_format: str  # how this LEA numbers its students (up to 9 characters)


HIGH = {9: 28, 10: 26, 11: 24, 12: 22}
ROSTERS = [
    Roster("017", "017001", 260, HIGH, "{:07d}"),
    Roster("017", "017002", 230, HIGH, "{:07d}"),
    Roster("017", "017003", 210, HIGH, "{:07d}"),
    Roster("017", "017004", 40, {6: 20, 7: 30, 8: 50}, "{:07d}"),
    Roster("W3B", "W3B001", 120, HIGH, "BCA{:05d}"),
    Roster("036", "036001", 60, HIGH, "036{:06d}"),
]
LOCAL_ID_RANGE = {"017": (1_000_000, 9_999_999), "W3B": (10_000, 99_999), "036": (100_000, 999_999)}

LAA1_RATE = 0.02     # students assessed on LAA1 (eligible for the L1 path)
ACT833_RATE = 0.01  # Act 833 eligible (CA path with IEP-adapted requirements)

# ---- name pools: made-up combinations of common names, loosely grouped to keep them plausible ----
ANGLO_CAJUN_LAST = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Martin", "Thompson", "White", "Clark", "Lewis", "Walker", "Hall",
    "Allen", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill",
    "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker", "Collins",
    "Edwards", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson",
    "Reed", "Bailey", "Bell", "Kelly", "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson",
    "Brooks", "Bennett", "Gray", "Hughes", "Price", "Sanders", "Myers", "Long", "Ross", "Foster",
    "Boudreaux", "Thibodeaux", "Landry", "Hebert", "Guidry", "Broussard", "LeBlanc", "Fontenot",
    "Richard", "Breaux", "Comeaux", "Arceneaux", "Trahan", "Babineaux", "Romero", "Champagne",
    "Melancon", "Doucet", "Savoie", "Robichaux", "Guillory", "Daigle", "Granger", "Theriot",
    "Cormier", "Istre", "Ardoin", "Soileau", "Fruge", "Bergeron", "Naquin", "Chauvin", "Dupre",
    "Hidalgo", "Le Blanc", "St. Pierre", "St. Romain", "O'Neil", "O'Brien", "McDonald", "MacKenzie",
    "D'Aquin", "Van Horn", "Smith-Jones", "Fox", "Ory", "Poe", "Key", "Ray",
]
ANGLO_CAJUN_FIRST = {
    "M": ["James", "John", "William", "Michael", "David", "Joseph", "Thomas", "Christopher",
          "Daniel", "Matthew", "Andrew", "Joshua", "Ethan", "Jacob", "Tyler", "Austin", "Hunter",
          "Brody", "Landon", "Colton", "Wyatt", "Gavin", "Caleb", "Luke", "Jackson", "Hayden",
          "Beau", "Remy", "Andre", "Pierre", "Luc", "Jean-Luc", "Blake", "Cody", "Dylan", "Logan",
          "Mason", "Nathan", "Owen", "Parker", "Reid", "Tucker", "Eli", "Jake", "Cole", "Kade"],
    "F": ["Emma", "Olivia", "Ava", "Sophia", "Isabella", "Madison", "Abigail", "Emily",
          "Elizabeth", "Hannah", "Addison", "Avery", "Ella", "Chloe", "Lily", "Grace", "Claire",
          "Caroline", "Anna", "Sarah", "Katherine", "Mary-Kate", "Anna-Grace", "Mary Claire",
          "Brooke", "Hailey", "Kaitlyn", "Taylor", "Reagan", "Molly", "Callie", "Celeste",
          "Amelie", "Josephine", "Genevieve", "Lucie", "Zoe", "Ivy", "Eve", "Jo", "Kate", "Leah"],
}
AFRICAN_AMERICAN_LAST = [
    "Washington", "Jackson", "Jefferson", "Johnson", "Williams", "Brown", "Jones", "Davis",
    "Robinson", "Harris", "Thomas", "Moore", "Taylor", "Coleman", "Butler", "Simmons", "Bryant",
    "Alexander", "Hayes", "Jenkins", "Perry", "Powell", "Russell", "Griffin", "Dixon", "Gaines",
    "Batiste", "Celestine", "Francois", "Joseph", "Pierre", "Charles", "Jean-Baptiste",
    "Broussard", "Guidry", "Dorsey", "Mack", "Ford", "Hill", "Banks", "Wallace", "Sims", "Tate",
    "Holmes", "Dupree", "Fields", "Richard", "Augustine", "Ceasar", "Ancar", "Baptiste",
    "Batiste-Williams", "St. Julien", "Darby", "Lee", "Hart", "Wade", "Ivy", "Lott", "Cox", "Bell",
]
AFRICAN_AMERICAN_FIRST = {
    "M": ["Jamal", "Darius", "Malik", "Terrance", "Marcus", "Jalen", "Xavier", "Isaiah",
          "Jeremiah", "Elijah", "Cameron", "Jordan", "Andre", "Darnell", "Tyrell", "Devon",
          "Kendrick", "Trevon", "Ja'Marcus", "D'Andre", "De'Shawn", "Ke'Andre", "Jaylen", "Amari",
          "Zion", "Josiah", "Micah", "Kobe", "Trey", "Tre", "Calvin", "Curtis", "Dwayne", "Keon",
          "Reginald", "Quentin", "Byron", "Chauncey", "Ronald", "Jabari"],
    "F": ["Aaliyah", "Imani", "Destiny", "Jada", "Kiara", "Brianna", "Jasmine", "Nia",
          "Tiana", "Ayanna", "Zaria", "Kennedy", "Taylor", "Morgan", "Ja'Niyah", "Ma'Kayla",
          "De'Asia", "Amara", "Journee", "Nevaeh", "Laila", "Aniyah", "Trinity", "Essence",
          "Ebony", "Shanice", "Keisha", "Tamia", "Alana", "Camille", "Simone", "Gabrielle",
          "Ciara", "Janae", "Maya", "Zoe", "Raven", "Skye", "Dior", "Paris"],
}
HISPANIC_LAST = [
    "Garcia", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Perez", "Sanchez",
    "Ramirez", "Torres", "Flores", "Rivera", "Gomez", "Diaz", "Cruz", "Reyes", "Morales", "Ortiz",
    "Gutierrez", "Chavez", "Ramos", "Mendoza", "Castillo", "Vasquez", "Alvarado", "Mejia",
    "Zelaya", "Funes", "Oliva", "Paz", "Cano", "Sosa", "Vega", "Luna", "Rios", "Ochoa",
    "De La Cruz", "Del Rio", "De Leon", "Hernandez-Lopez", "Garcia-Reyes",
]
HISPANIC_FIRST = {
    "M": ["Jose", "Luis", "Carlos", "Juan", "Miguel", "Jorge", "Diego", "Alejandro", "Mateo",
          "Santiago", "Angel", "Adrian", "Javier", "Fernando", "Emiliano", "Gael", "Ivan",
          "Josue", "Kevin", "Bryan", "Eduardo", "Oscar", "Rafael", "Jesus", "Cristian"],
    "F": ["Maria", "Sofia", "Camila", "Valentina", "Isabella", "Lucia", "Ximena", "Daniela",
          "Gabriela", "Andrea", "Mariana", "Fernanda", "Paola", "Alejandra", "Jimena",
          "Guadalupe", "Yesenia", "Karla", "Ana", "Itzel", "Dulce", "Esmeralda", "Genesis",
          "Nayeli", "Abril"],
}
ASIAN_LAST = [
    "Nguyen", "Tran", "Pham", "Le", "Vu", "Do", "Ho", "Ly", "Huynh", "Dang", "Bui", "Truong",
    "Ng", "Li", "Wu", "Ma", "Yu", "Chen", "Wang", "Zhang", "Liu", "Lin", "Patel", "Shah", "Singh",
    "Kumar", "Reddy", "Santos", "Reyes", "Bautista", "Kim", "Park", "Choi",
]
ASIAN_FIRST = {
    "M": ["Minh", "Tuan", "Duc", "Khoa", "Bao", "Long", "Huy", "Kevin", "Brian", "Ryan",
          "Wei", "Jun", "Hao", "Arjun", "Rohan", "Dev", "Aarav", "Daniel", "Joshua", "Min-jun"],
    "F": ["Linh", "Mai", "Trang", "Thao", "Ngoc", "Anh", "Vy", "Jennifer", "Tiffany", "Grace",
          "Mei", "Xin", "Lan", "Priya", "Ananya", "Diya", "Isha", "Angela", "Joy", "Seo-yeon"],
}
AMERICAN_INDIAN_LAST = [
    "Billiot", "Dardar", "Verdin", "Naquin", "Chaisson", "Parfait", "Dion", "Gregoire", "Sylvestre",
    "Sampson", "Langley", "Battise", "Celestine", "Poncho", "Abbey",
]
PACIFIC_ISLANDER_LAST = ["Fifita", "Tuilagi", "Kealoha", "Mahoe", "Faleolo", "Taufa", "Leota", "Kaleo"]
PACIFIC_ISLANDER_FIRST = {
    "M": ["Sione", "Tevita", "Keoni", "Kai", "Malakai", "Ioane"],
    "F": ["Leilani", "Malia", "Kalani", "Moana", "Mele", "Ana"],
}


def _flags(*yes):
    return {flag: ("Y" if flag in yes else "N") for flag in RACE_FLAGS}


def white_flags(rng):
    return _flags("white")


def black_flags(rng):
    return _flags("black")


def hispanic_flags(rng):
    # Hispanic/Latino is an ethnicity: the race flags come with it.
    return _flags("hispanic", rng.choices(["white", "black", "american_indian"], [85, 10, 5])[0])


def asian_flags(rng):
    return _flags("asian")


def american_indian_flags(rng):
    return _flags("american_indian", *(["white"] if rng.random() < 0.4 else []))


def pacific_islander_flags(rng):
    return _flags("pacific_islander")


def multiracial_flags(rng):
    return _flags(*rng.choice([("black", "white"), ("white", "asian"), ("black", "american_indian"),
                               ("white", "american_indian"), ("hispanic", "black", "white")]))


MIXED_FIRST = {sex: ANGLO_CAJUN_FIRST[sex] + AFRICAN_AMERICAN_FIRST[sex] for sex in "MF"}
# (weight, last names, first names, flag maker): roughly Louisiana's public school mix
GROUPS = [
    (41.0, ANGLO_CAJUN_LAST, ANGLO_CAJUN_FIRST, white_flags),
    (42.0, AFRICAN_AMERICAN_LAST, AFRICAN_AMERICAN_FIRST, black_flags),
    (9.0, HISPANIC_LAST, HISPANIC_FIRST, hispanic_flags),
    (2.5, ASIAN_LAST, ASIAN_FIRST, asian_flags),
    (1.0, AMERICAN_INDIAN_LAST, ANGLO_CAJUN_FIRST, american_indian_flags),
    (0.5, PACIFIC_ISLANDER_LAST, PACIFIC_ISLANDER_FIRST, pacific_islander_flags),
    (4.0, ANGLO_CAJUN_LAST + AFRICAN_AMERICAN_LAST, MIXED_FIRST, multiracial_flags),
]


def birth_date_for(rng, grade):
    """A birth date for a student in `grade` in BSSY 2025: on time, or 1-2 years older."""
    years_behind = rng.choices([0, 1, 2], [88, 10, 2 if grade >= 9 else 0])[0]
    age = grade + 5 + years_behind  # age on AGE_DATE
    latest = dt.date(AGE_DATE.year - age, AGE_DATE.month, AGE_DATE.day)
    earliest = dt.date(latest.year - 1, AGE_DATE.month, AGE_DATE.day) + dt.timedelta(days=1)
    return earliest + dt.timedelta(days=rng.randrange((latest - earliest).days + 1))


def mark_special_education(rng, site_rows):
    """Flag a fixed share of each site's students as LAA1 or Act 833 (never both), at least one each."""
    laa1_count = max(1, round(len(site_rows) * LAA1_RATE))
    act833_count = max(1, round(len(site_rows) * ACT833_RATE))
    chosen = rng.sample(range(len(site_rows)), laa1_count + act833_count)
    for position, index in enumerate(chosen):
        site_rows[index]["laa1" if position < laa1_count else "act833"] = "Y"


def unique_id_maker(rng):
    used = set()

    def make():
        while True:
            value = f"{rng.randrange(10**10):010d}"
            if value not in used:
                used.add(value)
                return value
    return make


def generate(seed=SEED):
    rng = random.Random(seed)
    next_unique_id = unique_id_maker(rng)
    local_ids_used = {}
    rows = []
    weights = [g[0] for g in GROUPS]
    for roster in ROSTERS:
        used = local_ids_used.setdefault(roster.sponsor, set())
        low, high = LOCAL_ID_RANGE[roster.sponsor]
        site_rows = []
        for _ in range(roster.students):
            _w, last_names, first_names, make_flags = rng.choices(GROUPS, weights)[0]
            sex = rng.choice("MF")
            grade = rng.choices(list(roster.grade_weights), list(roster.grade_weights.values()))[0]
            unique_id = next_unique_id()
            while True:
                local_id = roster.local_id_format.format(rng.randint(low, high))
                if local_id not in used and local_id != unique_id:
                    used.add(local_id)
                    break
            site_rows.append({
                "unique_id": unique_id, "sponsor_code": roster.sponsor, "site_code": roster.site,
                "local_id": local_id, "first_name": rng.choice(first_names[sex]),
                "last_name": rng.choice(last_names),
                "birth_date": birth_date_for(rng, grade).isoformat(), "sex": sex,
                **make_flags(rng),
                "laa1": "N", "act833": "N",
            })
        mark_special_education(rng, site_rows)
        for row in site_rows:
            row["ssn_on_file"] = "N" if int(row["unique_id"]) % NO_SSN_EVERY == 0 else "Y"
        rows.extend(sorted(site_rows, key=lambda r: r["local_id"]))
    return rows


def write(path):
    rows = generate()
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("secure_ids.csv")
    print(f"wrote {write(target)} rows to {target}")
