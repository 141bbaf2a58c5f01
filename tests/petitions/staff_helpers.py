"""Staff in each role, logged in with a second factor as the admin requires."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from archive.staff_groups import ARCHIVE_PERMISSIONS
from petitions.staff_groups import CAMPAIGN_MANAGERS, MODERATORS, PETITIONS_PERMISSIONS
from tests.conftest import log_in_with_second_factor


def _group(name: str) -> Group:
    """
    The group the migrations made; made again the same way after a transactional test's flush,
    which empties the tables (permissions come back with post_migrate, data migrations do not).
    """
    group, created = Group.objects.get_or_create(name=name)
    if created:
        for app, permissions in (
            ("petitions", PETITIONS_PERMISSIONS),
            ("archive", ARCHIVE_PERMISSIONS),
        ):
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app, codename__in=permissions.get(name, [])
                )
            )
    return group


def staff_in(group_name: str, username: str) -> User:
    user = User.objects.create_user(username, password="unused-in-tests", is_staff=True)
    user.groups.add(_group(group_name))
    return user


def client_for(user: User) -> Client:
    client = Client()
    log_in_with_second_factor(client, user)
    return client


@pytest.fixture
def moderator(db) -> User:
    return staff_in(MODERATORS, "mona-moderator")


@pytest.fixture
def manager(db) -> User:
    return staff_in(CAMPAIGN_MANAGERS, "max-manager")


@pytest.fixture
def moderator_client(moderator) -> Client:
    return client_for(moderator)


@pytest.fixture
def manager_client(manager) -> Client:
    return client_for(manager)
