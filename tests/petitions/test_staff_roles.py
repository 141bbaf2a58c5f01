"""The staff roles: groups made by the migrations, with exactly the permissions each needs."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from petitions.staff_groups import CAMPAIGN_MANAGERS, MODERATORS

from .conftest import make_signature

pytestmark = pytest.mark.django_db


def _permissions(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_moderators_review_signatures_and_endorsements_and_nothing_more():
    assert _permissions(MODERATORS) == {
        "petitions.view_petition",
        "petitions.view_signature",
        "petitions.change_signature",
        "petitions.view_endorsement",
        "petitions.change_endorsement",
        "petitions.view_organisation",
    }


def test_campaign_managers_edit_petitions_and_statements_and_export():
    assert _permissions(CAMPAIGN_MANAGERS) == {
        "petitions.view_petition",
        "petitions.add_petition",
        "petitions.change_petition",
        "petitions.view_signature",
        "petitions.export_signatures",
        "petitions.view_endorsement",
        "petitions.export_endorsements",
        "petitions.view_organisation",
        "petitions.add_organisation",
        "petitions.change_organisation",
        "petitions.view_exportrecord",
        "petitions.view_staff_activity",
        "archive.view_statement",
        "archive.add_statement",
        "archive.change_statement",
        "archive.view_topic",
        "archive.add_topic",
        "archive.change_topic",
    }


def test_a_moderator_sees_an_email_only_on_a_suspected_signature(moderator_client, open_petition):
    plain = make_signature(open_petition, email="plain.person@example.org")
    suspect = make_signature(open_petition, email="bot123@spam.example", status="suspected")

    plain_page = moderator_client.get(
        reverse("admin:petitions_signature_change", args=[plain.pk])
    ).content.decode()
    suspect_page = moderator_client.get(
        reverse("admin:petitions_signature_change", args=[suspect.pk])
    ).content.decode()

    assert "plain.person@example.org" not in plain_page
    assert "p•••@example.org" in plain_page
    assert "bot123@spam.example" in suspect_page


def test_a_manager_sees_emails_but_cannot_moderate(manager_client, open_petition):
    signature = make_signature(open_petition, email="someone@example.org", comment="Hi")

    page = manager_client.get(reverse("admin:petitions_signature_change", args=[signature.pk]))
    listing = manager_client.get(reverse("admin:petitions_signature_changelist"))

    assert "someone@example.org" in page.content.decode()
    assert "approve_comments" not in listing.content.decode()


def test_a_manager_can_edit_a_petition(manager_client, open_petition):
    page = manager_client.get(reverse("admin:petitions_petition_change", args=[open_petition.pk]))

    assert page.status_code == 200
    assert 'name="title_en"' in page.content.decode()
