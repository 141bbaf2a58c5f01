"""
The staff groups a migrated database holds are exactly what the live lists declare.

The groups are made by data migrations from frozen copies of petitions/staff_groups.py and
archive/staff_groups.py, so a fresh database and one upgraded over the years get the same
groups. The price is that a change to a live list does nothing until a migration carries it:
this test, on the freshly migrated test database, fails until one does.
"""

import pytest
from django.contrib.auth.models import Group

from archive.staff_groups import ARCHIVE_PERMISSIONS
from petitions.staff_groups import PETITIONS_PERMISSIONS

pytestmark = pytest.mark.django_db


def _declared() -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {}
    for app, permissions in (
        ("petitions", PETITIONS_PERMISSIONS),
        ("archive", ARCHIVE_PERMISSIONS),
    ):
        for group, codenames in permissions.items():
            groups.setdefault(group, set()).update(f"{app}.{codename}" for codename in codenames)
    return groups


def _migrated() -> dict[str, set[str]]:
    return {
        group.name: {
            f"{permission.content_type.app_label}.{permission.codename}"
            for permission in group.permissions.select_related("content_type")
        }
        for group in Group.objects.all()
    }


def test_every_staff_group_holds_exactly_the_permissions_the_live_lists_declare():
    assert _migrated() == _declared()
