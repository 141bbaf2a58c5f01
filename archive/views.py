from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Statement


def statement_list(request: HttpRequest) -> HttpResponse:
    # get_page() turns junk such as ?page=%00 or ?page=-1 into a valid page instead of a 500.
    page = Paginator(Statement.objects.published(), 20).get_page(request.GET.get("page"))
    return render(request, "archive/statement_list.html", {"page": page})


def statement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    statement = get_object_or_404(Statement.objects.published(), slug=slug)
    return render(request, "archive/statement_detail.html", {"statement": statement})
