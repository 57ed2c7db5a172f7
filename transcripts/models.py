"""A student's records for one BSSY: the 020 student record, its 030 transcripts and 050 IBCs.

Public/charter students carry only partial identifiers here (first initial, first 3 letters of the
last name, day of birth); their PII lives in the Secure ID registry. Nonpublic students carry full
names, birth date and SSN-based State ID.
"""
from django.db import models

from core_tables.models import Site, Sponsor
from sts.jobs import JobModel


class Student(models.Model):
    bssy = models.PositiveSmallIntegerField()
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="students")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="students")
    state_id = models.CharField("State ID", max_length=10)
    local_id = models.CharField("local ID", max_length=9)
    first_name = models.CharField(max_length=15)
    middle_name = models.CharField(max_length=15, blank=True)
    last_name = models.CharField(max_length=20)
    suffix = models.CharField(max_length=3, blank=True)
    birth_day = models.CharField("day of birth", max_length=2, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1)
    grade = models.CharField("grade placement", max_length=2)
    grade9_entry = models.PositiveSmallIntegerField("grade 9 entry year", null=True, blank=True)
    graduation_date = models.DateField(null=True, blank=True)
    career_option = models.CharField(max_length=3, blank=True)
    academic_endorsement = models.CharField(max_length=2, blank=True)
    career_endorsement = models.CharField("career/tech endorsement", max_length=2, blank=True)
    gee_flag = models.CharField("met GEE/EOC", max_length=1, blank=True)
    local_gpa = models.CharField("local GPA", max_length=8, blank=True)
    rank_position = models.PositiveSmallIntegerField(null=True, blank=True)
    rank_size = models.PositiveSmallIntegerField(null=True, blank=True)
    hispanic = models.BooleanField(default=False)
    american_indian = models.BooleanField(default=False)
    asian = models.BooleanField(default=False)
    black = models.BooleanField(default=False)
    pacific_islander = models.BooleanField(default=False)
    white = models.BooleanField(default=False)
    diploma_path = models.CharField(max_length=2, blank=True)
    parental_consent = models.BooleanField("LOSFA/BOR parental consent", default=False)
    fafsa = models.CharField("FAFSA application flag", max_length=1, blank=True)
    community_service = models.CharField(max_length=2, blank=True)
    biliteracy_seal = models.CharField(max_length=2, blank=True)
    eoc_ela = models.CharField("EOC ELA", max_length=1, blank=True)
    eoc_math = models.CharField("EOC math", max_length=1, blank=True)
    eoc_science = models.CharField("EOC science", max_length=1, blank=True)
    eoc_social_studies = models.CharField("EOC social studies", max_length=1, blank=True)
    # Graduation date removed by a failed graduation check (reasons '2'..'6'); listed on the
    # Override Report until corrected or overridden.
    removed_graduation_date = models.DateField(null=True, blank=True)
    grad_removal_reasons = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "state_id"]
        constraints = [models.UniqueConstraint(fields=["bssy", "sponsor", "state_id"], name="uniq_student_bssy")]
        indexes = [models.Index(fields=["site", "bssy"])]

    def __str__(self):
        return f"{self.state_id} {self.display_name}"

    @property
    def display_name(self):
        return f"{self.last_name}, {self.first_name}".strip(", ")


class Transcript(models.Model):
    """One 030 course record."""
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="transcripts")
    course_bssy = models.PositiveSmallIntegerField("course BSSY")
    course_code = models.CharField(max_length=6)
    part = models.CharField("course part number", max_length=1, blank=True)
    semester = models.CharField(max_length=2)
    grade = models.CharField("letter grade", max_length=1)
    credit_attempted = models.DecimalField(max_digits=4, decimal_places=2)
    credit_earned = models.DecimalField(max_digits=4, decimal_places=2)
    grade_point_max = models.DecimalField(max_digits=4, decimal_places=2)
    waiver = models.BooleanField("core curriculum waiver", default=False)
    course_sponsor = models.CharField(max_length=3, blank=True)
    course_site = models.CharField(max_length=6, blank=True)
    course_site_name = models.CharField(max_length=46, blank=True)
    course_name = models.CharField("transcript course name", max_length=60, blank=True)
    quality_points = models.DecimalField(max_digits=4, decimal_places=2)
    course_type = models.CharField(max_length=2)
    distance_learning = models.CharField(max_length=2, blank=True)
    local_course_code = models.CharField(max_length=6, blank=True)
    de_credit_hours = models.DecimalField("DE postsecondary credit hours", max_digits=5, decimal_places=2,
                                          null=True, blank=True)
    de_secondary_site = models.CharField("DE secondary site", max_length=6, blank=True)

    class Meta:
        ordering = ["course_bssy", "course_code", "part", "semester"]


class Ibc(models.Model):
    """One 050 Industry Based Credential record."""
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="ibcs")
    site = models.CharField(max_length=6)
    local_id = models.CharField(max_length=9, blank=True)
    ibc_code = models.CharField("IBC code", max_length=3)
    semester_earned = models.CharField(max_length=1)
    year_earned = models.PositiveSmallIntegerField()
    vendor = models.CharField("test vendor", max_length=3, blank=True)
    pass_fail = models.CharField(max_length=1)
    earned_sponsor = models.CharField("sponsor where earned", max_length=3, blank=True)
    earned_site = models.CharField("site where earned", max_length=6, blank=True)

    class Meta:
        ordering = ["year_earned", "ibc_code"]
        verbose_name = "IBC"


class StudentProgress(models.Model):
    """The core progress engine's stored result for a student (pages never compute on the fly)."""
    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="progress")
    computed_at = models.DateTimeField(auto_now=True)
    overall_gpa = models.DecimalField(max_digits=5, decimal_places=3, null=True)
    core_gpa = models.DecimalField(max_digits=5, decimal_places=3, null=True)
    tops_gpa = models.DecimalField(max_digits=5, decimal_places=3, null=True)
    total_credits = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    path_complete = models.BooleanField(default=False)
    award_eligible = models.BooleanField(default=False)
    meets_graduation = models.BooleanField(default=False)
    result = models.JSONField(default=dict)


class StudentChange(models.Model):
    """Change history of a student's records: who changed what, when, and how."""
    bssy = models.PositiveSmallIntegerField()
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    state_id = models.CharField(max_length=10)
    at = models.DateTimeField(auto_now_add=True)
    by = models.CharField(max_length=150)
    source = models.CharField(max_length=20)  # online, upload #N, reassignment, restore
    action = models.CharField(max_length=40)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["sponsor", "bssy", "state_id"])]


class GraduationOverride(models.Model):
    """A graduation date kept although the graduation check fails: the typed reason, who, when
    (training slides, "Graduation Overrides"). It holds for that date only: a new date is checked
    again."""
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="overrides")
    graduation_date = models.DateField()
    removal_reasons = models.JSONField(default=list)  # the check's reasons '2'..'6' at the time
    reason = models.TextField()
    by = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]


class Credential(models.Model):
    """A Jumpstart credential PDF (one or several certificates) of a student, stored under
    settings.PRIVATE_MEDIA_ROOT and served only through a view that checks permissions."""
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="credentials")
    path = models.CharField(max_length=200)  # relative to PRIVATE_MEDIA_ROOT
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    pages = models.PositiveSmallIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField(max_length=150)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]


class DeletedStudentSet(models.Model):
    """A student's whole record set for a BSSY as it was when it was deleted ("Delete All Student
    Records" online, or a replace-mode upload that did not carry the student): kept in the audit
    trail so it can be restored (the original STS had no undo). See transcripts/deleted.py."""
    bssy = models.PositiveSmallIntegerField()
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    state_id = models.CharField(max_length=10)
    display_name = models.CharField(max_length=40)
    records = models.JSONField()  # {"student": {...}, "transcripts": [...], "ibcs": [...], ...}
    deleted_by = models.CharField(max_length=150)
    deleted_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=20, default="online")  # online, upload #N
    upload_number = models.PositiveIntegerField(null=True, blank=True, db_index=True)  # replace-mode upload
    restored_by = models.CharField(max_length=150, blank=True)
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-deleted_at", "-id"]
        indexes = [models.Index(fields=["site", "bssy"])]


class GraduateDataChange(models.Model):
    """When graduate data of a site last changed in a BSSY (upload or online): site certification
    compares it with the time the site was certified to tell it needs recertification."""
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    bssy = models.PositiveSmallIntegerField()
    changed_at = models.DateTimeField()
    changed_by = models.CharField(max_length=150, blank=True)
    source = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "bssy"], name="uniq_graduate_change")]


class IbcHistory(models.Model):
    """Statewide IBC history (guide, "Extract 050 Records from History Records": "all IBCs earned
    by student regardless of multiple LEA enrollment"). Written as IBCs are loaded, from batch
    and online entry, keyed by State ID and not tied to a stored student, so it survives the
    student's move to another LEA and the deletion of a year's records."""
    state_id = models.CharField("State ID", max_length=10)
    ibc_code = models.CharField("IBC code", max_length=3)
    semester_earned = models.CharField(max_length=1)
    year_earned = models.PositiveSmallIntegerField()
    pass_fail = models.CharField(max_length=1)
    vendor = models.CharField("test vendor", max_length=3, blank=True)
    earned_sponsor = models.CharField("sponsor where earned", max_length=3, blank=True)
    earned_site = models.CharField("site where earned", max_length=6, blank=True)
    # Where it was last loaded from.
    sponsor = models.CharField(max_length=3)
    site = models.CharField(max_length=6, blank=True)
    bssy = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=20, blank=True)
    first_loaded_at = models.DateTimeField(auto_now_add=True)
    last_loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["state_id", "year_earned", "semester_earned", "ibc_code", "pass_fail"]
        verbose_name = "IBC history record"
        constraints = [models.UniqueConstraint(fields=["state_id", "ibc_code", "pass_fail", "year_earned",
                                                       "semester_earned"], name="uniq_ibc_history")]


class RecomputeBatch(JobModel):
    """Stored progress to recompute for a bounded batch of students (after an upload, an online
    change or a core-table change): a job of the one lifecycle (sts/jobs.py), so a lost worker's
    batch is taken over and several workers share a large recalculation."""
    JOB_TASK = "transcripts.tasks.recompute_batch"
    JOB_LABEL = "recalculation"
    STATUSES = [("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")]
    student_ids = models.JSONField(default=list)
    status = models.CharField(max_length=8, choices=STATUSES, default="queued", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
