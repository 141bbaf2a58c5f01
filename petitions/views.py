from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Petition


def petition_list(request: HttpRequest) -> HttpResponse:
    petitions = Petition.objects.open_first()
    return render(request, "petitions/petition_list.html", {"petitions": petitions})


def petition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    petition = get_object_or_404(Petition.objects.published(), slug=slug)
    return render(request, "petitions/petition_detail.html", {"petition": petition})
