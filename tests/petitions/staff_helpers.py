"""Staff in each role, logged in with a second factor as the admin requires."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from petitions.staff_groups import CAMPAIGN_MANAGERS, MODERATORS
from tests.conftest import log_in_with_second_factor


def staff_in(group_name: str, username: str) -> User:
    user = User.objects.create_user(username, password="unused-in-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
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
