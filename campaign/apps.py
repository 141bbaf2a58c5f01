from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CampaignConfig(AppConfig):
    """The project package is an app too, for site-wide commands and template tags."""

    name = "campaign"
    verbose_name = "Campaign"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy checks)


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, whose default site asks staff for a second factor."""

    default = False  # named explicitly in INSTALLED_APPS; "campaign" stays CampaignConfig
    default_site = "campaign.staff.StaffAdminSite"
