from django.contrib.auth.models import AbstractUser
from django.db import models

from .groups import GROUPS


class User(AbstractUser):
    """An STS user. `username` is the user ID: `E` + 6 characters, the first three the sponsor code
    for LEA and school users."""
    sts_group = models.CharField("security group", max_length=20, choices=[(g.code, g.label) for g in GROUPS.values()])
    sponsor = models.ForeignKey("core_tables.Sponsor", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="users")
    failed_signins = models.PositiveSmallIntegerField(default=0)
    locked = models.BooleanField(default=False, help_text="Locked after repeated failed sign-ins; "
                                                          "a security coordinator unlocks it.")
    must_change_password = models.BooleanField(default=True)

    REQUIRED_FIELDS = ["sts_group"]

    @property
    def group(self):
        return GROUPS[self.sts_group]


class SiteAccess(models.Model):
    """The site-level security table: limits a school-level user to these sites."""
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="site_access")
    site = models.ForeignKey("core_tables.Site", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "site"], name="uniq_site_access")]
        verbose_name_plural = "site access"


class PasswordHistory(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    # The hash of the password in lower case: the history rule holds whatever the case
    # ("Bayou#Ledger25" again as "bAYOU#lEDGER25" is the same password). Empty on older rows.
    folded = models.CharField(max_length=128, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
