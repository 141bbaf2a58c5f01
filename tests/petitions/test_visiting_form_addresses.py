"""
Every public address answers a normal visit. The form with errors lives at the address its form
posts to (…/sign/): switching language there, reloading it or sharing it is a GET, which goes to
the form on the petition's page instead of a bare 405.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from petitions.models import Signature

pytestmark = pytest.mark.django_db

# Addresses outside the public pages: browsers POST CSP reports, and no person visits them.
NOT_VISITED = {"csp-report"}


@pytest.mark.parametrize("prefix", ["", "/zh-hant", "/zh-hans"])
@pytest.mark.parametrize("method", ["get", "head"])
def test_visiting_the_sign_address_goes_to_the_form(client, open_petition, prefix, method):
    response = getattr(client, method)(f"{prefix}/petitions/{open_petition.slug}/sign/")

    assert response.status_code == 302
    assert response["Location"] == f"{prefix}/petitions/{open_petition.slug}/#sign-form"
    assert not Signature.objects.exists()


def test_the_form_address_it_goes_to_holds_the_sign_form(client, open_petition):
    response = client.get(f"/petitions/{open_petition.slug}/sign/", follow=True)

    assert response.status_code == 200
    assert 'id="sign-form"' in response.content.decode()


def test_visiting_the_sign_address_of_an_unknown_petition_is_not_found(client):
    assert client.get("/petitions/no-such-petition/sign/").status_code == 404


def _public_routes(resolver: URLResolver, prefix: str = "") -> list[tuple[str, str]]:
    """(name, route) of every address outside the admin, the language prefix left out."""
    routes = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            routes += _public_routes(entry, prefix + str(entry.pattern).lstrip("^"))
        elif isinstance(entry, URLPattern) and entry.name not in NOT_VISITED:
            routes.append((entry.name, prefix + str(entry.pattern)))
    return routes


def test_every_public_address_answers_get_and_head(client, open_petition):
    """The class: no public address refuses a visit (new POST-only views included)."""
    values = {
        "<slug:slug>": open_petition.slug,
        "<str:token>": "not-a-valid-link",
        "<path:target>": "zh-hant/about/",  # the language switcher's links
    }
    refused = {}
    for name, route in _public_routes(get_resolver()):
        path = route
        for placeholder, value in values.items():
            path = path.replace(placeholder, value)
        assert "<" not in path, f"no value for the placeholder in {route}"
        for method in ("get", "head"):
            status = getattr(client, method)(f"/{path}").status_code
            if status == 405:
                refused[f"{method.upper()} /{path}"] = name

    assert refused == {}
