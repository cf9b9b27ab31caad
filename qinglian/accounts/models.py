"""Users and their roles over regions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from qinglian.directory.models import Person, Region


class User(AbstractUser):
    # A user is in an operator's scope through any of the user's role assignments.
    access_region_path = "role_assignments__region__path"

    person = models.OneToOneField(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
        help_text=_("The person this account belongs to; recusal follows their relatives."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Role(models.TextChoices):
    VILLAGE_CADRE = "village_cadre", _("village cadre")
    VILLAGE_ACCOUNTANT = "village_accountant", _("village bookkeeper")
    SUPERVISION_COMMITTEE = "supervision_committee", _("supervision committee member")
    VILLAGE_SUPERVISOR = "village_supervisor", _("village discipline supervisor")
    INFO_OFFICER = "info_officer", _("information officer")
    TOWN_DISCIPLINE = "town_discipline", _("township discipline commission")
    TOWN_PARTY = "town_party", _("township party committee")
    COUNTY_DISCIPLINE = "county_discipline", _("county discipline commission")
    COUNTY_ORGANIZATION = "county_organization", _("county organisation department")
    ADMIN = "admin", _("operator")


# Roles that may register and correct people, households and companies in their region.
DIRECTORY_EDITOR_ROLES = frozenset(
    {Role.VILLAGE_CADRE, Role.VILLAGE_ACCOUNTANT, Role.TOWN_PARTY, Role.ADMIN}
)


class RoleAssignment(models.Model):
    access_region_path = "region__path"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "region"], name="role_assigned_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region}"
