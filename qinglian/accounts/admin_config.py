"""Installs the policy-bound admin site as Django's default admin site."""

from django.contrib.admin.apps import AdminConfig


class PolicyAdminConfig(AdminConfig):
    default_site = "qinglian.accounts.admin_site.PolicyAdminSite"
