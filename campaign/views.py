"""Site-wide pages: the home page, About & Privacy, and the health check."""

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from archive.models import Statement
from petitions.models import Petition

LATEST_STATEMENTS_ON_HOME = 3


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "petitions": Petition.objects.open(),
        "statements": Statement.objects.published()[:LATEST_STATEMENTS_ON_HOME],
    }
    return render(request, "home.html", context)


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html")


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 while the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})
