"""Reference tables maintained by state staff (LDOE, LOSFA core-table users)."""
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models


class Sponsor(models.Model):
    KINDS = [("public", "Public"), ("charter", "Charter"), ("nonpublic", "Nonpublic"),
             ("postsecondary", "Postsecondary")]
    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=13, choices=KINDS)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def layout(self):
        """Batch layout and PII rules follow the sponsor's kind."""
        return "nonpublic" if self.kind == "nonpublic" else "public"


class Site(models.Model):
    KINDS = [("school", "School"), ("postsecondary", "Postsecondary")]
    code = models.CharField(max_length=6, unique=True)
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=13, choices=KINDS, default="school")
    # The postal address and phone the official transcript prints under the school's name (blank:
    # not on file, nothing printed).
    address = models.CharField("street address", max_length=100, blank=True, default="")
    city = models.CharField(max_length=40, blank=True, default="")
    state = models.CharField(max_length=2, default="LA",  # required: an address without it misleads
                             validators=[RegexValidator(r"^[A-Z]{2}$", "Two capital letters, as LA.")])
    zip_code = models.CharField("ZIP code", max_length=10, blank=True, default="",
                                validators=[RegexValidator(r"^\d{5}(-\d{4})?$", "Five digits, or ZIP+4 as 70802-1234.")])
    phone = models.CharField(max_length=20, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)  # the API's updated_since

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def postal_address(self) -> str:
        """One line, "123 Main St, Baton Rouge, LA 70802"; empty when no street is on file (a city
        alone is no address to write to)."""
        if not self.address.strip():
            return ""
        return ", ".join(p.strip() for p in (self.address, self.city, f"{self.state} {self.zip_code}") if p.strip())


class CourseCode(models.Model):
    AP_CHOICES = [("", "Not allowed"), ("optional", "Optional"), ("required", "Required")]
    code = models.CharField(max_length=6, unique=True)
    name = models.CharField(max_length=100)
    first_bssy = models.PositiveSmallIntegerField()
    last_bssy = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Blank: still valid")
    requires_course_name = models.BooleanField(default=False)
    ap_type_allowed = models.CharField(max_length=8, choices=AP_CHOICES, blank=True, default="")
    five_point_eligible = models.BooleanField(default=False)
    experience_only = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)  # the API's updated_since

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Curriculum(models.Model):
    """A diploma path (TU, CA, L1, ...) or a TOPS award curriculum (TC, TJ)."""
    KINDS = [("diploma", "Diploma path"), ("award", "TOPS award")]
    code = models.CharField(max_length=2, unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=7, choices=KINDS)
    units_required = models.DecimalField(max_digits=4, decimal_places=1)
    min_gpa = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    first_grad_bssy = models.PositiveSmallIntegerField()
    last_grad_bssy = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)  # the API's updated_since

    class Meta:
        ordering = ["kind", "code"]
        verbose_name_plural = "curricula"

    def __str__(self):
        return f"{self.code} {self.name}"


class Category(models.Model):
    curriculum = models.ForeignKey(Curriculum, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(max_length=2)
    description = models.CharField(max_length=100)
    units_required = models.DecimalField(max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["curriculum", "code"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(fields=["curriculum", "code"], name="uniq_category")]

    def __str__(self):
        return f"{self.curriculum.code} {self.code} {self.description}"


class SetCourse(models.Model):
    """A course allowed in a category's set, with the credit units it may supply."""
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="set_courses")
    set_code = models.CharField(max_length=3)
    course = models.ForeignKey(CourseCode, on_delete=models.PROTECT, related_name="set_courses")
    units_allowed = models.DecimalField(max_digits=3, decimal_places=1)
    units_required = models.DecimalField(max_digits=3, decimal_places=1)
    effective_grad_bssy = models.PositiveSmallIntegerField()
    expiration_grad_bssy = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["category", "set_code", "course"]
        constraints = [models.UniqueConstraint(fields=["category", "set_code", "course"],
                                               name="uniq_set_course")]


class IbcCode(models.Model):
    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=150)
    updated_at = models.DateTimeField(auto_now=True)  # the API's updated_since

    class Meta:
        ordering = ["code"]
        verbose_name = "IBC code"

    def __str__(self):
        return f"{self.code} {self.name}"


class TestVendor(models.Model):
    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class CodeValue(models.Model):
    """The guide's fixed code lists (grade placements, semesters, ...), editable by state staff.

    Seeded from core_tables.codelists; edits made in the admin are never overwritten.
    """
    list_name = models.CharField(max_length=40, db_index=True)
    code = models.CharField(max_length=3)
    name = models.CharField(max_length=150)
    attrs = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["list_name", "code"]
        constraints = [models.UniqueConstraint(fields=["list_name", "code"], name="uniq_code_value")]

    def __str__(self):
        return f"{self.list_name}: {self.code} {self.name}"


class SecureId(models.Model):
    """Master record of a public/charter student: the stand-in for the state's eScholar system.

    Public/charter student PII lives here only; STS records carry the partial identifiers.
    """
    unique_id = models.CharField(max_length=10, unique=True)
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    local_id = models.CharField(max_length=9)
    first_name = models.CharField(max_length=50)
    last_name = models.CharField(max_length=50)
    birth_date = models.DateField()
    sex = models.CharField(max_length=1)
    hispanic = models.BooleanField(default=False)
    american_indian = models.BooleanField(default=False)
    asian = models.BooleanField(default=False)
    black = models.BooleanField(default=False)
    pacific_islander = models.BooleanField(default=False)
    white = models.BooleanField(default=False)
    laa1 = models.BooleanField("assessed on LAA1 (SER)", default=False)
    act833 = models.BooleanField("Act 833 eligible (SER)", default=False)
    # Whether eScholar holds the student's SSN (the "No PII found" report); never the SSN itself.
    # None: the registry file did not say.
    ssn_on_file = models.BooleanField("SSN on file in eScholar", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    TRACKED = ("sponsor_id", "site_id", "local_id", "first_name", "last_name", "birth_date", "sex",
               "hispanic", "american_indian", "asian", "black", "pacific_islander", "white",
               "laa1", "act833", "ssn_on_file")

    class Meta:
        ordering = ["unique_id"]
        verbose_name = "Secure ID record"

    def __str__(self):
        return self.unique_id


class SecureIdChange(models.Model):
    """History of changes to a Secure ID master record (who, when, old -> new)."""
    secure_id = models.ForeignKey(SecureId, on_delete=models.CASCADE, related_name="history")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.CharField(max_length=150, blank=True)
    changes = models.JSONField()

    class Meta:
        ordering = ["-changed_at", "-id"]


class CollectionPeriod(models.Model):
    """When a BSSY accepts writes. Normally December 1 of the BSSY to September 30 of the next year."""
    bssy = models.PositiveSmallIntegerField(unique=True)
    opens = models.DateField()
    closes = models.DateField()
    closed_for_maintenance = models.BooleanField(default=False)
    maintenance_message = models.CharField(max_length=200, blank=True)
    is_current = models.BooleanField(default=False, help_text="The BSSY users land on by default")

    class Meta:
        ordering = ["-bssy"]

    def __str__(self):
        return f"{self.bssy}-{(self.bssy + 1) % 100:02d}"


class PriorPeriodRequest(models.Model):
    """Appendix L: an LEA asks for a prior BSSY to be opened for it; state staff approve."""
    STATUSES = [("pending", "Pending"), ("approved", "Approved"), ("denied", "Denied")]
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT)
    bssy = models.PositiveSmallIntegerField("school year requested")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    coordinator_name = models.CharField("district coordinator name/counselor", max_length=100)
    school_names = models.CharField("school name(s)", max_length=300)
    student_ids = models.TextField("unique ID(s) of the student(s)")
    reason = models.TextField("changes to be made and why they were not made in the prior year")
    status = models.CharField(max_length=8, choices=STATUSES, default="pending")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    access_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.sponsor.code} {self.bssy} request of {self.requested_at:%m/%d/%Y}"


class Announcement(models.Model):
    title = models.CharField(max_length=150)
    body = models.TextField()
    posted_at = models.DateTimeField(auto_now_add=True)
    posted_by = models.CharField(max_length=150, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-posted_at"]

    def __str__(self):
        return self.title
