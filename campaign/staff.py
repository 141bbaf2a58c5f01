"""
Staff accounts: the admin site behind a second factor, and time limits on staff sessions.

A staff session can export a whole signature list, so a stolen password alone must not open it
(`STAFF_REQUIRE_2FA`), and a session left open on a shared computer must not last (idle and
absolute limits).
"""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.text import format_lazy
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.models import Device

from petitions.admin_lookups import offering_only_its_lookups

# The machinery behind the site rather than the campaign: login attempts and lockouts
# (django-axes), second-factor devices (django-otp), background task results (django-tasks-db)
# and the raw trace of exports. Only superusers see these sections or open their pages: a
# campaigner or moderator has nothing to do there, and a device or lockout changed by mistake
# can lock staff out.
SUPERUSER_ONLY_APPS = {"axes", "otp_totp", "otp_static", "django_tasks_database"}
SUPERUSER_ONLY_MODELS = {"petitions.exportrecord"}

SESSION_STARTED_AT = "staff_session_started_at"
SESSION_LAST_SEEN_AT = "staff_session_last_seen_at"


class StaffLoginForm(OTPAdminAuthenticationForm):
    """
    django_otp's admin login form, in one step: the token is checked against the staff
    member's authenticators without asking which one.

    A right password with a wrong (or missing) code is answered exactly as a wrong password:
    the same message, no device list, the password not echoed back, and one more failure
    towards django-axes' lockout. Otherwise the form would confirm a stolen password and let
    its holder guess codes without ever being locked out.
    """

    def clean(self) -> dict:
        try:
            return super().clean()
        except ValidationError:
            if self.user_cache is None:
                raise  # a wrong password: Django has answered it and told django-axes
            self._forget_the_password_was_right()
            raise self.get_invalid_login_error() from None

    def _forget_the_password_was_right(self) -> None:
        self.user_cache = None  # the login template offers devices only to a known user
        self.fields["password"].widget.render_value = False
        # What django.contrib.auth.authenticate() sends for a wrong password, so that
        # django-axes counts this attempt (and locks out) the same way.
        user_login_failed.send(
            sender=__name__,
            credentials={"username": self.cleaned_data.get("username")},
            request=self.request,
        )

    def _chosen_device(self, user: object) -> Device | None:
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user, for_verify=True))
            if len(devices) == 1:
                device = devices[0]
        return device

    def _verify_token(self, user: object, token: str, device: Device | None = None) -> Device:
        if device is not None:
            return super()._verify_token(user, token, device)
        # Several authenticators (add_staff_totp adds one per phone) and no way to choose one
        # without telling the visitor the password was right: try each in turn.
        error = ValidationError(self.otp_error_messages["invalid_token"], code="invalid_token")
        for candidate in devices_for_user(user, for_verify=True):
            try:
                return super()._verify_token(user, token, candidate)
            except ValidationError as refused:
                error = refused
        raise error


def for_superusers_only(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """
    `admin_class` refusing everyone but superusers, whatever permissions their groups hold: the
    section leaves the index and every page of it answers 403 (a hidden link alone would leave
    the pages open to anyone who types the address).
    """

    class SuperusersOnly(admin_class):
        def has_module_permission(self, request: HttpRequest) -> bool:
            return request.user.is_superuser and super().has_module_permission(request)

        def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
            return request.user.is_superuser and super().has_view_permission(request, obj)

        def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
            return request.user.is_superuser and super().has_add_permission(request, *args)

        def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
            return request.user.is_superuser and super().has_change_permission(request, obj)

        def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
            return request.user.is_superuser and super().has_delete_permission(request, obj)

    SuperusersOnly.__name__ = SuperusersOnly.__qualname__ = admin_class.__name__
    SuperusersOnly.__module__ = admin_class.__module__
    return SuperusersOnly


def is_for_superusers_only(model: type) -> bool:
    meta = model._meta
    return meta.app_label in SUPERUSER_ONLY_APPS or meta.label_lower in SUPERUSER_ONLY_MODELS


class StaffAdminSite(OTPAdminSite):
    """
    The admin site (django_otp's OTPAdminSite) with the second factor behind a setting.

    With STAFF_REQUIRE_2FA on, the login form asks for a TOTP token and a staff member who has
    not given one is treated as if not staff: no admin page opens. The setting is read per
    request, so tests can switch it with the `settings` fixture.
    """

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    # The campaign's name (settings.CAMPAIGN_NAME), read per request like the 2FA setting.
    @property
    def site_header(self) -> str:
        return format_lazy(_("{campaign} staff"), campaign=settings.CAMPAIGN_NAME)

    @property
    def site_title(self) -> str:
        return self.site_header

    index_title = _("Dashboard")

    @property
    def login_form(self) -> type[AdminAuthenticationForm]:
        return StaffLoginForm if settings.STAFF_REQUIRE_2FA else AdminAuthenticationForm

    @property
    def login_template(self) -> str | None:
        return OTPAdminSite.login_template if settings.STAFF_REQUIRE_2FA else None

    def register(
        self, model_or_iterable: object, admin_class: type | None = None, **options: object
    ) -> None:
        """
        Every admin answers only the lookups it offers (petitions.admin_lookups); the technical
        sections answer superusers only (SUPERUSER_ONLY_APPS, SUPERUSER_ONLY_MODELS).
        """
        admin_class = offering_only_its_lookups(admin_class or admin.ModelAdmin)
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable
        for model in models:
            model_admin = (
                for_superusers_only(admin_class) if is_for_superusers_only(model) else admin_class
            )
            super().register(model, model_admin, **options)

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """The front page, with the campaign's dashboard: queues, charts, countries."""
        from petitions.dashboard import dashboard  # the admin site loads before the apps

        return super().index(request, {**dashboard(request), **(extra_context or {})})

    def has_permission(self, request: HttpRequest) -> bool:
        if settings.STAFF_REQUIRE_2FA:
            return super().has_permission(request)
        return admin.AdminSite.has_permission(self, request)


class StaffSessionLimitsMiddleware:
    """
    Log a staff member out after STAFF_SESSION_IDLE_MINUTES without a request, and
    STAFF_SESSION_MAX_HOURS after the session began, whichever comes first.

    Visitors without a session cookie are never looked at, so public pages do not read the
    session (and stay cacheable without `Vary: Cookie`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            self._enforce_limits(request)
        return self.get_response(request)

    def _enforce_limits(self, request: HttpRequest) -> None:
        if not (request.user.is_authenticated and request.user.is_staff):
            return
        current = now().timestamp()
        started = request.session.setdefault(SESSION_STARTED_AT, current)
        last_seen = request.session.get(SESSION_LAST_SEEN_AT, current)
        idle = timedelta(minutes=settings.STAFF_SESSION_IDLE_MINUTES).total_seconds()
        lifetime = timedelta(hours=settings.STAFF_SESSION_MAX_HOURS).total_seconds()
        if current - last_seen > idle or current - started > lifetime:
            logout(request)  # flushes the session; the admin then asks for a fresh login
            return
        request.session[SESSION_LAST_SEEN_AT] = current
