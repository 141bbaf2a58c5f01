"""Admin changelists answer only the lookups they offer (petitions/admin_lookups.py)."""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.db.models import ForeignKey
from django.test import RequestFactory
from django.urls import reverse

from petitions.admin_lookups import OfferedLookupsOnly
from petitions.email_keys import email_key
from tests.petitions.conftest import make_signature
from tests.petitions.endorsement_helpers import make_endorsement
from tests.petitions.staff_helpers import client_for

pytestmark = pytest.mark.django_db

SIGNATURES = reverse("admin:petitions_signature_changelist")
ENDORSEMENTS = reverse("admin:petitions_endorsement_changelist")

# What a probe tries on a field: Django's own lookups, and the bare field name.
LOOKUPS = ["", "regex", "startswith", "isnull", "gt"]


def _changelist_url(model_admin: admin.ModelAdmin) -> str:
    options = model_admin.model._meta
    return reverse(f"admin:{options.app_label}_{options.model_name}_changelist")


def _offered_parameters(model_admin: admin.ModelAdmin, user) -> set[str]:
    """The parameters of the admin's list filters (shown or, with no choices yet, not)."""
    request = RequestFactory().get(_changelist_url(model_admin))
    request.user = user
    model, offered = model_admin.model, set()
    for item in model_admin.get_list_filter(request):
        if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
            spec = item(request, {}, model, model_admin)
        else:
            path, filter_class = item if isinstance(item, (list, tuple)) else (item, None)
            field = get_fields_from_path(model, path)[-1]
            spec = (filter_class or admin.FieldListFilter.create)(
                field, request, {}, model, model_admin, field_path=path
            )
        offered |= set(spec.expected_parameters())
    if model_admin.date_hierarchy:
        # Its month and day links carry the year too; a month alone is not a link it makes.
        offered.add(f"{model_admin.date_hierarchy}__year")
    return offered


def _probes(model) -> list[str]:
    probes = []
    for field in model._meta.concrete_fields:
        names = {field.name, field.attname}
        if isinstance(field, ForeignKey):
            names.add(f"{field.name}__{field.target_field.name}")
        probes += [f"{name}__{lookup}" if lookup else name for name in names for lookup in LOOKUPS]
    return probes


REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def test_every_registered_admin_has_the_offered_lookups_mixin():
    assert all(isinstance(model_admin, OfferedLookupsOnly) for _, model_admin in REGISTERED)


@pytest.mark.parametrize(
    "model_admin", [model_admin for _, model_admin in REGISTERED], ids=lambda a: str(a)
)
def test_every_changelist_refuses_every_field_lookup_it_does_not_offer(
    admin_client, admin_user, model_admin
):
    url = _changelist_url(model_admin)
    offered = _offered_parameters(model_admin, admin_user)
    answers = {
        probe: admin_client.get(url, {probe: "1"}).status_code
        for probe in _probes(model_admin.model)
        if probe not in offered
    }

    assert {probe: code for probe, code in answers.items() if code != 400} == {}
    # The filters it does offer still work (a bad value goes back to the plain list, not 400).
    assert {
        name: code
        for name in offered
        if (code := admin_client.get(url, {name: "1"}).status_code) not in (200, 302)
    } == {}
    assert admin_client.get(url).status_code == 200
    if hierarchy := model_admin.date_hierarchy:
        day = {f"{hierarchy}__year": "2020", f"{hierarchy}__month": "2", f"{hierarchy}__day": "29"}
        assert admin_client.get(url, day).status_code == 200


def test_the_admin_controls_still_work_beside_a_filter(admin_client, open_petition):
    make_signature(open_petition, full_name="Kept Person")

    response = admin_client.get(
        SIGNATURES,
        {
            "status__exact": "pending",
            "queue": "",
            "created_at__year": "2020",
            "o": "1",
            "p": "1",
            "all": "",
            "q": "kept",
        },
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    "probe",
    [
        {"email__regex": "^a"},
        {"email__startswith": "ann"},
        {"email__contains": "@example"},
        {"email_key": "ann@example.org"},
        {"full_name__regex": "^A"},
        {"comment__icontains": "a"},
        # The date hierarchy's bounds, sent without the hierarchy.
        {"confirmed_at__gte": "2020-01-01"},
    ],
    ids=lambda probe: next(iter(probe)),
)
def test_a_moderator_cannot_read_addresses_through_query_string_lookups(
    moderator,
    open_petition,
    probe,
):
    # Finding 2: one address in ~700 requests through ?email__regex=… on the masked list.
    make_signature(open_petition, full_name="Ann Signer", email="ann@example.org")
    make_signature(open_petition, full_name="Bob Signer", email="bob@example.org")

    response = client_for(moderator).get(SIGNATURES, probe)

    assert response.status_code == 400
    assert "Ann Signer" not in response.content.decode()


def test_a_moderator_searches_no_personal_field_of_a_signature(
    moderator,
    open_petition,
):
    make_signature(open_petition, full_name="Ann Signer", email="ann@example.org")
    make_signature(open_petition, full_name="Bob Signer", email="bob@example.org")
    client = client_for(moderator)

    by_address = client.get(SIGNATURES, {"q": "ann@example.org"}).content.decode()
    by_name = client.get(SIGNATURES, {"q": "Ann"}).content.decode()

    # The search changes nothing: both signers are listed, whatever the term.
    assert "Ann Signer" in by_address and "Bob Signer" in by_address
    assert "Ann Signer" in by_name and "Bob Signer" in by_name
    assert 'id="searchbar"' not in by_name


def test_staff_who_may_export_still_search_signatures_by_address_and_name(
    manager,
    open_petition,
):
    make_signature(open_petition, full_name="Ann Signer", email="ann@example.org")
    make_signature(open_petition, full_name="Bob Signer", email="bob@example.org")
    client = client_for(manager)

    by_address = client.get(SIGNATURES, {"q": "ANN@example.org"}).content.decode()
    by_name = client.get(SIGNATURES, {"q": "bob"}).content.decode()

    assert "Ann Signer" in by_address and "Bob Signer" not in by_address
    assert "Bob Signer" in by_name and "Ann Signer" not in by_name


def test_a_moderator_searches_endorsements_by_organisation_but_not_by_contact(
    moderator,
    open_petition,
):
    first = make_endorsement(open_petition, "Lantern Society", contact_name="Carol Contact")
    make_endorsement(open_petition, "Harbour Union", contact_name="Dan Contact")
    client = client_for(moderator)

    by_organisation = client.get(ENDORSEMENTS, {"q": "lantern"}).content.decode()
    by_contact = client.get(ENDORSEMENTS, {"q": "Carol"}).content.decode()
    by_address = client.get(ENDORSEMENTS, {"q": first.email}).content.decode()
    refused = client.get(ENDORSEMENTS, {"email_key": email_key(first.email)})

    assert "Lantern Society" in by_organisation and "Harbour Union" not in by_organisation
    assert "contact" not in by_organisation.split('id="searchbar_helptext"')[1][:200]
    assert "Lantern Society" not in by_contact
    assert "Lantern Society" not in by_address
    assert refused.status_code == 400
