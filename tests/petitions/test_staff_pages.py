"""
The staff site's own pages (petitions/staff_pages.py), found by walking every registered
ModelAdmin: where they live, that only signed-in staff with the right permission reach them, and
that each renders inside the admin like its other pages.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import URLPattern, resolve, reverse
from django.utils.html import escape

from petitions.models import Petition

from .staff_helpers import client_for

pytestmark = pytest.mark.django_db

# Bookmarks and the templates' links point here: the addresses must not move.
STAFF_PAGES = {
    "petitions_petition_export": "/admin/petitions/petition/{slug}/export/",
    "petitions_petition_export_endorsements": (
        "/admin/petitions/petition/{slug}/export-endorsements/"
    ),
    "petitions_signature_invalidate": "/admin/petitions/signature/invalidate/",
    "petitions_signature_erase_person": "/admin/petitions/signature/erase-person/",
    "petitions_signature_export": "/admin/petitions/signature/export/",
    "petitions_endorsement_import": "/admin/petitions/endorsement/import/",
    "petitions_staff_activity": "/admin/petitions/petition/staff-activity/",
}


OUR_APPS = {"petitions", "archive"}


def _custom_pages() -> dict[str, tuple[admin.ModelAdmin, URLPattern]]:
    """Every URL our apps' ModelAdmins add to Django's own (list, add, change, delete, ...)."""
    pages = {}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        django_names = {pattern.name for pattern in admin.ModelAdmin.get_urls(model_admin)}
        for pattern in model_admin.get_urls():
            if pattern.name not in django_names:
                pages[pattern.name] = (model_admin, pattern)
    return pages


def _url(name: str, petition: Petition) -> str:
    _model_admin, pattern = _custom_pages()[name]
    kwargs = {"slug": petition.slug} if "slug" in pattern.pattern.converters else {}
    return reverse(f"admin:{name}", kwargs=kwargs)


def test_the_staff_pages_are_the_known_ones_at_their_addresses(open_petition):
    addresses = {name: _url(name, open_petition) for name in _custom_pages()}

    assert addresses == {
        name: address.format(slug=open_petition.slug) for name, address in STAFF_PAGES.items()
    }


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_a_staff_page_sends_a_visitor_to_the_staff_login(client, open_petition, name):
    response = client.get(_url(name, open_petition))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_a_staff_page_refuses_staff_without_its_permission(open_petition, name):
    unprivileged = User.objects.create_user("sam-staff", password="unused", is_staff=True)

    response = client_for(unprivileged).get(_url(name, open_petition))

    assert response.status_code == 403


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_a_staff_page_renders_inside_the_admin(admin_client, open_petition, name):
    model_admin, _pattern = _custom_pages()[name]

    response = admin_client.get(_url(name, open_petition))

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["opts"] is model_admin.model._meta
    assert f"<title>{escape(response.context['title'])} | " in page
    assert str(admin.site.site_header) in page
    changelist = reverse(
        f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist"
    )
    assert f'href="{changelist}"' in page


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_a_staff_page_is_found_under_its_own_name_in_staff_pages(open_petition, name):
    match = resolve(_url(name, open_petition))

    assert match._func_path.startswith("petitions.staff_pages.")
    assert match._func_path.endswith("_page")
