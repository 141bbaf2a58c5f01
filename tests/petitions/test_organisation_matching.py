"""One organisation, one row: names match across case, spacing, punctuation and look-alikes;
matches and free-mail contacts are flagged for staff."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from petitions.endorsement_import import import_endorsements
from petitions.models import Endorsement, Organisation, Petition
from petitions.organisation_names import is_free_mail, match_key
from tests.petitions.conftest import aged_form_stamp

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "spelling",
    [
        "Amnesty International",
        "AMNESTY  international.",
        "Amnesty-International",
        "\u0410mnesty International",  # Cyrillic capital A
        "Amn\u0435sty Internati\u03bfnal",  # Cyrillic e, Greek omicron
        "Ａｍｎｅｓｔｙ Ｉｎｔｅｒｎａｔｉｏｎａｌ",  # full-width
    ],
)
def test_spellings_of_one_name_share_a_key(spelling):
    assert match_key(spelling) == "amnestyinternational"


def test_different_names_keep_different_keys():
    assert match_key("Tibet Network") != match_key("Tibet Networks")
    assert match_key("香港人權監察") != match_key("香港人權")


@pytest.mark.parametrize(
    ("email", "free"),
    [
        ("someone@gmail.com", True),
        ("someone@QQ.com", True),
        ("someone@163.com", True),
        ("someone@proton.me", True),
        ("someone@outlook.com", True),
        ("someone@amnesty.example.org", False),
    ],
)
def test_free_mail_providers_are_recognised(email, free):
    assert is_free_mail(email) is free


def _endorse(petition: Petition, name: str, email: str, website: str = "") -> Endorsement:
    return Endorsement.objects.endorse(
        petition=petition,
        organisation_name=name,
        country="GB",
        website=website,
        kind=Endorsement.Kind.NGO,
        contact_name="Cora Contact",
        contact_role="Director",
        email=email,
    )


@pytest.fixture
def endorsable(open_petition) -> Petition:
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    return open_petition


def test_a_look_alike_name_links_to_the_existing_organisation_and_is_flagged(endorsable):
    amnesty = Organisation.objects.create(name="Amnesty International", website="https://a.org")

    endorsement = _endorse(endorsable, "\u0410mnesty International", "x@a.org")

    assert endorsement.organisation == amnesty
    assert Organisation.objects.count() == 1
    assert endorsement.has_matched_existing_organisation
    assert endorsement.submitted_name == "\u0410mnesty International"
    assert endorsement.status == Endorsement.Status.PENDING  # not silently accepted


def test_a_new_organisation_is_not_flagged(endorsable):
    endorsement = _endorse(endorsable, "Brand New Group", "x@new.example", "https://new.example")

    assert not endorsement.is_flagged


def test_free_mail_for_an_organisation_with_its_own_domain_is_flagged(endorsable):
    endorsement = _endorse(
        endorsable, "Own Domain Org", "own.domain.org@gmail.com", "https://own-domain.example"
    )

    assert endorsement.has_free_mail_contact


def test_free_mail_for_an_organisation_without_a_website_is_not_flagged(endorsable):
    endorsement = _endorse(endorsable, "Small Village Group", "villagers@qq.com")

    assert not endorsement.has_free_mail_contact


def test_free_mail_is_checked_against_the_existing_organisations_website(endorsable):
    Organisation.objects.create(name="Known Org", website="https://known.example")

    endorsement = _endorse(endorsable, "known org", "impostor@outlook.com")

    assert endorsement.has_free_mail_contact
    assert endorsement.has_matched_existing_organisation


def test_renaming_an_organisation_in_the_admin_keeps_its_key_current():
    organisation = Organisation.objects.create(name="Old Name")

    organisation.name = "New Name"
    organisation.save(update_fields=["name"])

    organisation.refresh_from_db()
    assert organisation.match_key == "newname"


def test_the_database_refuses_a_second_row_for_one_organisation(endorsable):
    organisation = Organisation.objects.create(name="Once Only")
    Endorsement.objects.create(
        petition=endorsable, organisation=organisation, source=Endorsement.Source.IMPORT
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Endorsement.objects.create(
            petition=endorsable, organisation=organisation, source=Endorsement.Source.IMPORT
        )


def test_a_form_endorsement_without_a_contact_is_refused_by_the_database(endorsable):
    organisation = Organisation.objects.create(name="No Contact")

    with pytest.raises(IntegrityError), transaction.atomic():
        Endorsement.objects.create(petition=endorsable, organisation=organisation)


# Issue 12, finding 14: names whose key is empty (no letter or digit) all matched one another,
# so the second such organisation's endorsement was silently dropped. Every way a name enters
# refuses them, and the database refuses an empty key.
NAMES_WITHOUT_A_KEY = [
    "!!!",
    "— · —",
    "\U0001f600\U0001f389",  # emoji
    "\u0301\u0302\u0303",  # combining marks alone
    "(*)",
]


@pytest.mark.parametrize("name", NAMES_WITHOUT_A_KEY)
def test_the_endorse_form_refuses_a_name_without_a_letter_or_digit(client, endorsable, name):
    response = client.post(
        reverse("petitions:endorse", kwargs={"slug": endorsable.slug}),
        {
            "organisation_name": name,
            "country": "GB",
            "kind": "ngo",
            "contact_name": "Cora Contact",
            "contact_role": "Director",
            "email": "cora@example.org",
            "is_authorised": "on",
            "rendered_at": aged_form_stamp(),
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["organisation_name"] == [
        "Please enter the organisation's name with at least one letter or digit."
    ]
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("name", NAMES_WITHOUT_A_KEY)
def test_the_endorsement_import_skips_a_name_without_a_letter_or_digit(endorsable, name):
    report = import_endorsements(endorsable, f"{name} | GB\nReal Org | GB", by=None)

    assert report.created == ["Real Org"]
    assert [(line, reason) for line, _, reason in report.skipped] == [
        (1, "bad name: Please enter the organisation's name with at least one letter or digit.")
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [("???", "at least one letter or digit"), ("ß" * 120, "Please shorten the name")],
)
def test_staff_cannot_rename_an_organisation_to_a_name_without_a_usable_key(
    admin_client, name, message
):
    organisation = Organisation.objects.create(name="Real Org")

    response = admin_client.post(
        reverse("admin:petitions_organisation_change", args=[organisation.pk]),
        {"name": name, "country": "", "website": ""},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name == "Real Org"


def test_the_database_refuses_an_organisation_with_an_empty_key():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="!!!")


@pytest.mark.postgresql
def test_the_migration_gives_an_existing_empty_key_a_key_of_its_own():
    migration = importlib.import_module(
        "petitions.migrations.0015_organisation_match_key_not_empty"
    )
    # The row a name without a letter left before the constraint; DDL rolls back with the test.
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE petitions_organisation DROP CONSTRAINT organisation_match_key_not_empty"
        )
    Organisation.objects.bulk_create([Organisation(name="!!!", match_key="")])
    organisation = Organisation.objects.get(match_key="")

    migration.give_empty_keys_their_own(apps, connection.schema_editor())

    organisation.refresh_from_db()
    assert organisation.match_key == f"#{organisation.pk}"
    assert organisation.name == "!!!"
