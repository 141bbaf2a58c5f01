from django.apps import AppConfig


class CampaignConfig(AppConfig):
    """The project package is an app too, for site-wide commands and template tags."""

    name = "campaign"
    verbose_name = "Campaign"
