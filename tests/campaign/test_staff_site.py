"""
The staff site as staff see it: the campaign's name and colours, and the technical sections
(login attempts, second-factor devices, task results, export records) for superusers only.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from django.urls import reverse

from petitions.staff_groups import CAMPAIGN_MANAGERS, MODERATORS
from tests.petitions.staff_helpers import (  # noqa: F401 (fixtures)
    client_for,
    manager,
    manager_client,
    moderator,
    moderator_client,
    staff_in,
)

pytestmark = pytest.mark.django_db

# Each technical section's heading on the admin index, and a page of it.
TECHNICAL_SECTIONS = {
    "Axes": "admin:axes_accessattempt_changelist",
    "Otp_Totp": "admin:otp_totp_totpdevice_changelist",
    "Tasks Database Backend": "admin:django_tasks_database_dbtaskresult_changelist",
}
TECHNICAL_PAGES = [
    *TECHNICAL_SECTIONS.values(),
    "admin:axes_accesslog_changelist",
    "admin:axes_accessfailurelog_changelist",
    "admin:otp_totp_totpdevice_add",
    "admin:petitions_exportrecord_changelist",
]
TECHNICAL_APP_INDEXES = ["axes", "otp_totp", "django_tasks_database"]


@pytest.fixture
def everyday_staff(db):
    """A staff member in both everyday roles, but no superuser."""
    member = staff_in(MODERATORS, "both-roles")
    member.groups.add(Group.objects.get(name=CAMPAIGN_MANAGERS))
    return client_for(member)


def test_the_admin_is_the_campaigns_staff_site(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()

    assert '<a href="/admin/">Candlelight staff</a>' in page
    assert "<title>Dashboard | Candlelight staff</title>" in page
    assert "Django administration" not in page
    assert "Django site admin" not in page


def test_the_campaign_name_is_a_setting(admin_client, settings):
    settings.CAMPAIGN_NAME = "Lantern"

    page = admin_client.get(reverse("admin:index")).content.decode()

    assert ">Lantern staff</a>" in page
    assert "Candlelight" not in page


@pytest.mark.parametrize(
    "url", [reverse("admin:index"), reverse("admin:petitions_signature_changelist")]
)
def test_every_admin_page_wears_the_campaigns_colours(admin_client, url):
    page = admin_client.get(url).content.decode()

    assert page.index("/static/admin/css/dark_mode.css") < page.index(
        "/static/css/admin_brand.css"
    )


def test_the_colours_are_the_admins_own_variables_set_to_the_campaigns_accent():
    css = Path(finders.find("css/admin_brand.css")).read_text(encoding="utf-8")

    assert "--secondary: #8a1c1c;" in css
    assert "--link-fg: #8a1c1c;" in css


@pytest.mark.parametrize("client_name", ["moderator_client", "manager_client", "everyday_staff"])
def test_everyday_staff_see_no_technical_section(client_name, request):
    client = request.getfixturevalue(client_name)

    page = client.get(reverse("admin:index")).content.decode()

    assert "Signatures" in page  # the campaign's own sections are there
    for heading in TECHNICAL_SECTIONS:
        assert f">{heading}<" not in page
    for fragment in ["TOTP devices", "Access attempts", "Task Results", "Export records"]:
        assert fragment not in page


@pytest.mark.parametrize("url_name", TECHNICAL_PAGES)
def test_everyday_staff_cannot_open_a_technical_page(everyday_staff, url_name):
    assert everyday_staff.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("app_label", TECHNICAL_APP_INDEXES)
def test_everyday_staff_find_no_technical_app(everyday_staff, app_label):
    assert everyday_staff.get(reverse("admin:app_list", args=[app_label])).status_code == 404


def test_a_superuser_sees_and_opens_the_technical_sections(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()

    for heading, url_name in TECHNICAL_SECTIONS.items():
        assert f">{heading}<" in page
        assert admin_client.get(reverse(url_name)).status_code == 200
    for url_name in TECHNICAL_PAGES:
        assert admin_client.get(reverse(url_name)).status_code == 200
