"""accounts: who may see and do what.

Users (optionally linked to a person in the directory), role assignments over a
region, login protection, and the access policy (`policy.py`) that every view,
API endpoint and admin page goes through (`admin_site.py` binds the admin to it).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "qinglian.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
