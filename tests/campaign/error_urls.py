"""A URLconf for the error-page tests: the real site plus views that fail on purpose."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from campaign.urls import urlpatterns as site_urlpatterns


def forbidden(request):
    raise PermissionDenied("internal reason that must not be shown")


def bad_request(request):
    raise SuspiciousOperation("internal reason that must not be shown")


def crash(request):
    raise RuntimeError("internal reason that must not be shown")


urlpatterns = [
    path("fail/403", forbidden),
    path("fail/400", bad_request),
    path("fail/500", crash),
    *site_urlpatterns,
]
