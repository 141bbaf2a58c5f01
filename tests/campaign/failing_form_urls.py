"""A throwaway public form view that fails on POST, to read the error report it produces."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def failing_sign(request: HttpRequest) -> HttpResponse:
    # Deliberately not marked @sensitive_post_parameters: every POST must be hidden anyway.
    signer = {"name": request.POST["full_name"], "email": request.POST["email"]}
    raise RuntimeError(f"could not save the signature of {signer['email']}")


urlpatterns = [path("sign/", failing_sign)]
