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


IMMEDIATE_TASK_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"


@register(Tags.security, deploy=True)
def task_backend_check(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    """
    The immediate backend sends a new signer's confirmation mail inside the sign request: the
    request then takes longer for an address that has not signed than for one that has, which
    tells anyone timing the form who has signed.
    """
    if settings.DEBUG or settings.TASKS["default"]["BACKEND"] != IMMEDIATE_TASK_BACKEND:
        return []
    return [
        Warning(
            "Background jobs run inside the request (the immediate task backend) while DEBUG "
            "is off: the sign request's timing tells whether an address has signed, and a slow "
            "mail server slows every signature.",
            hint="Set TASKS_BACKEND=database and run `python manage.py db_worker`.",
            id="campaign.W006",
        )
    ]


@register(Tags.security, deploy=True)
def inline_counting_check(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    """Counting inside confirm and withdraw requests makes every signer write the petition row."""
    if settings.DEBUG or not settings.COUNT_SIGNATURES_INLINE:
        return []
    return [
        Warning(
            "COUNT_SIGNATURES_INLINE is on while DEBUG is off: every confirmation and "
            "withdrawal counts in its own request, and a surge's signers queue on the petition "
            "row.",
            hint="Set COUNT_SIGNATURES_INLINE=False and run "
            "`python manage.py count_signatures --every 10` beside the job workers.",
            id="campaign.W007",
        )
    ]
