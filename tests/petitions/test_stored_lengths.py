"""
Values are validated in the form they are stored in (issue 12, finding 8): NFC, IDNA and NFKC +
case-folding can make a value longer than what was typed, so a length checked only as typed
could pass the form and then overflow its column (a 500). Each limit is a constant next to its
normaliser, used by the column and by the validator alike.
"""

import unicodedata

import pytest
from django.core.validators import validate_email
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from petitions.email_keys import EMAIL_KEY_MAX_LENGTH, EMAIL_MAX_LENGTH, email_key
from petitions.endorsement_import import import_endorsements
from petitions.forms import EndorsementForm, SignatureForm
from petitions.models import (
    ORGANISATION_NAME_MAX_LENGTH,
    Endorsement,
    Organisation,
    Petition,
    Signature,
)
from petitions.organisation_names import MATCH_KEY_MAX_LENGTH, match_key

from .conftest import VALID_SIGNER, aged_form_stamp

pytestmark = pytest.mark.django_db

VALID_ENDORSEMENT = {
    "organisation_name": "Example Rights Watch",
    "country": "GB",
    "website": "https://rights-watch.example.org",
    "kind": "ngo",
    "contact_name": "Cora Contact",
    "contact_role": "Director",
    "email": "cora@rights-watch.example.org",
    "statement": "",
    "is_authorised": "on",
    "rendered_at": aged_form_stamp(),
}

# "㍿" (one character, a Japanese company sign) is "xn--6oqv20b1zgzxr" in DNS: a short address
# whose key does not fit 320 characters.
IDN_ADDRESS = "ann@" + ".".join(["㍿"] * 39) + ".jp"
# "क़" (U+0958) is two code points after NFC: 228 characters typed, over 254 once stored.
NFC_GROWING_ADDRESS = "a" * 20 + "@" + ".".join(["\u0958" * 40] * 5) + ".in"


@pytest.fixture
def endorsable(open_petition) -> Petition:
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    open_petition.refresh_from_db()
    return open_petition


def _errors(response, form: str = "form") -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context[form].errors.items()}


def test_the_repro_values_grow_past_their_columns():
    # What makes them dangerous: each passes the typed check and grows once normalised.
    assert len(IDN_ADDRESS) == 84
    validate_email(IDN_ADDRESS)
    assert len(email_key(IDN_ADDRESS)) > EMAIL_KEY_MAX_LENGTH
    validate_email(NFC_GROWING_ADDRESS)
    assert len(NFC_GROWING_ADDRESS) <= EMAIL_MAX_LENGTH
    assert len(unicodedata.normalize("NFC", NFC_GROWING_ADDRESS)) > EMAIL_MAX_LENGTH
    assert len(match_key("ß" * 120)) > MATCH_KEY_MAX_LENGTH


def test_an_idn_address_whose_key_is_too_long_is_refused_by_the_sign_form(client, open_petition):
    response = client.post(
        reverse("petitions:sign", kwargs={"slug": open_petition.slug}),
        {**VALID_SIGNER, "email": IDN_ADDRESS},
    )

    assert response.status_code == 200
    assert "too long once its domain is spelled" in _errors(response)["email"][0]
    assert not Signature.objects.exists()


def test_an_idn_address_whose_key_is_too_long_is_refused_by_the_endorse_form(client, endorsable):
    response = client.post(
        reverse("petitions:endorse", kwargs={"slug": endorsable.slug}),
        {**VALID_ENDORSEMENT, "email": IDN_ADDRESS},
    )

    assert response.status_code == 400
    assert "too long once its domain is spelled" in _errors(response)["email"][0]
    assert not Endorsement.objects.exists()


def test_an_endorsement_address_that_grows_past_254_after_nfc_is_refused(client, endorsable):
    response = client.post(
        reverse("petitions:endorse", kwargs={"slug": endorsable.slug}),
        {**VALID_ENDORSEMENT, "email": NFC_GROWING_ADDRESS},
    )

    assert response.status_code == 400
    assert "An email address has at most 254 characters" in _errors(response)["email"][0]
    assert not Endorsement.objects.exists()


def test_an_organisation_name_whose_key_grows_past_its_column_is_refused(client, endorsable):
    response = client.post(
        reverse("petitions:endorse", kwargs={"slug": endorsable.slug}),
        {**VALID_ENDORSEMENT, "organisation_name": "ß" * 120},
    )

    assert response.status_code == 400
    assert "Please shorten the name" in _errors(response)["organisation_name"][0]
    assert not Organisation.objects.exists()


def test_the_endorsement_import_reports_a_name_too_long_once_normalised(endorsable):
    report = import_endorsements(endorsable, "ß" * 120 + " | GB\nExample Network | GB", by=None)

    assert [name for name in report.created] == ["Example Network"]
    assert len(report.skipped) == 1
    line, _, reason = report.skipped[0]
    assert line == 1
    assert "Please shorten the name" in reason


# The property behind the repros, for every value either form accepts: characters that grow
# under NFC (U+0958), NFKC (ligatures, "㍿", "ﷺ"), case-folding ("ß", "ǰ") and IDNA (CJK,
# accented letters), mixed with ordinary ones, at lengths around the limits.
GROWING = "ßǰﬀﷺ㍿\u0958\u2adc中éüǆΐ"
ORDINARY = "abcxyz019-_."
characters = st.sampled_from(GROWING + ORDINARY + " ")
labels = st.text(st.sampled_from(GROWING + "abc019"), min_size=1, max_size=63)
domains = st.lists(labels, min_size=1, max_size=40).map(lambda parts: ".".join([*parts, "org"]))
local_parts = st.text(st.sampled_from("abcxyz019._+"), min_size=1, max_size=64).filter(
    lambda local: not local.startswith(".") and not local.endswith(".") and ".." not in local
)
addresses = st.builds(lambda local, domain: f"{local}@{domain}", local_parts, domains)
names = st.text(characters, min_size=1, max_size=ORGANISATION_NAME_MAX_LENGTH + 10)

property_settings = hypothesis_settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def _assert_address_fits(address: str) -> None:
    assert len(address) <= EMAIL_MAX_LENGTH, address
    assert len(email_key(address)) <= EMAIL_KEY_MAX_LENGTH, address


def _column_length(model: type, field: str) -> int:
    return model._meta.get_field(field).max_length


@property_settings
@given(address=addresses, full_name=names, comment=st.text(characters, max_size=1010))
def test_no_value_the_sign_form_accepts_overflows_its_column(db, address, full_name, comment):
    form = SignatureForm(
        {**VALID_SIGNER, "email": address, "full_name": full_name, "comment": comment}
    )

    form.is_valid()

    for field, value in form.cleaned_data.items():
        if isinstance(value, str) and _column_length(Signature, field):
            assert len(value) <= _column_length(Signature, field), field
    if "email" in form.cleaned_data:
        _assert_address_fits(form.cleaned_data["email"])


# Where each text field of the endorse form is stored.
ENDORSEMENT_COLUMNS = {
    "organisation_name": [(Organisation, "name"), (Endorsement, "submitted_name")],
    "website": [(Organisation, "website"), (Endorsement, "submitted_website")],
    "contact_name": [(Endorsement, "contact_name")],
    "contact_role": [(Endorsement, "contact_role")],
    "email": [(Endorsement, "email")],
    "statement": [(Endorsement, "statement")],
}


@property_settings
@given(
    address=addresses,
    texts=st.fixed_dictionaries(
        {
            "organisation_name": names,
            "contact_name": names,
            "contact_role": names,
            "statement": st.text(characters, max_size=520),
        }
    ),
    website=st.builds(lambda domain: f"https://{domain}/", domains),
)
def test_no_value_the_endorse_form_accepts_overflows_its_column(address, texts, website):
    form = EndorsementForm({**VALID_ENDORSEMENT, **texts, "email": address, "website": website})

    form.is_valid()

    for field, columns in ENDORSEMENT_COLUMNS.items():
        if field in form.cleaned_data:
            for model, column in columns:
                assert len(form.cleaned_data[field]) <= _column_length(model, column), field
    if "email" in form.cleaned_data:
        _assert_address_fits(form.cleaned_data["email"])
    if "organisation_name" in form.cleaned_data:
        assert 0 < len(match_key(form.cleaned_data["organisation_name"])) <= MATCH_KEY_MAX_LENGTH


@property_settings
@given(name=names)
def test_no_name_the_endorsement_import_accepts_overflows_its_columns(open_petition, name):
    report = import_endorsements(open_petition, name.replace("|", " ").replace("#", " "), by=None)

    for organisation in Organisation.objects.all():
        assert len(organisation.name) <= ORGANISATION_NAME_MAX_LENGTH
        assert 0 < len(organisation.match_key) <= MATCH_KEY_MAX_LENGTH
    assert len(report.created) + len(report.matched) + len(report.skipped) <= 1
