"""System checks for what `check --deploy` cannot know about Candlelight on its own."""

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def staff_two_factor_check(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    """Production without a second factor for staff exposes every signer list to one password."""
    if settings.DEBUG or settings.STAFF_REQUIRE_2FA:
        return []
    return [
        Warning(
            "STAFF_REQUIRE_2FA is off while DEBUG is off: staff log in with a password alone.",
            hint="Set STAFF_REQUIRE_2FA=True in production and enrol each staff member with "
            "`python manage.py add_staff_totp <username>`.",
            id="campaign.W001",
        )
    ]


@register(Tags.security, deploy=True)
def trusted_proxy_check(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    """A header name Django never produces would silently make every client the same client."""
    header = settings.TRUSTED_PROXY_HEADER
    if not header or (header.startswith("HTTP_") and header == header.upper()):
        return []
    return [
        Warning(
            f"TRUSTED_PROXY_HEADER={header!r} is not a request header as Django names it.",
            hint="Use the META name, e.g. HTTP_X_REAL_IP or HTTP_X_FORWARDED_FOR.",
            id="campaign.W002",
        )
    ]
