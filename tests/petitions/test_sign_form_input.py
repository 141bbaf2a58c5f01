import random

import pytest
from django.urls import reverse

from petitions.models import Signature

from .conftest import VALID_SIGNER

pytestmark = pytest.mark.django_db


def _post(client, petition, **overrides):
    data = {**VALID_SIGNER, **overrides}
    return client.post(reverse("petitions:sign", kwargs={"slug": petition.slug}), data)


def _errors(response) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


BAD_INPUT = [
    ("full_name", "", "Please enter your name."),
    ("full_name", "   ", "Please enter your name."),
    ("full_name", "x" * 121, "Please keep your name to 120 characters (it has 121)."),
    ("full_name", "Ann\x00Example", "Null characters are not allowed."),
    ("full_name", "Ann\x1bExample", "invisible or control character (U+001B)"),
    ("full_name", "Ann\u200bExample", "invisible or control character (U+200B)"),
    ("full_name", "Ann \u202eelpmaxE", "invisible or control character (U+202E)"),
    ("full_name", "Ann\u2066Example", "invisible or control character (U+2066)"),
    ("full_name", "Ann\ufeffExample", "invisible or control character (U+FEFF)"),
    ("full_name", "Ann\nExample", "invisible or control character (U+000A)"),
    ("full_name", "Ann http://spam.example", "without a web address"),
    ("full_name", "Buy at www.spam", "without a web address"),
    ("full_name", "Ann of x.com", "without a web address"),
    ("full_name", "Ann hxxps://x", "without a web address"),
    ("full_name", '=HYPERLINK("x")', "A name cannot start with =, +, - or @."),
    ("full_name", "+1 Ann", "A name cannot start with =, +, - or @."),
    ("full_name", "-Ann", "A name cannot start with =, +, - or @."),
    ("full_name", "@Ann", "A name cannot start with =, +, - or @."),
    ("full_name", "  =Ann", "A name cannot start with =, +, - or @."),
    ("email", "", "Please enter your email address."),
    ("email", "not-an-address", "Please enter a valid email address"),
    ("email", "a" * 250 + "@example.org", "An email address has at most 254 characters"),
    ("email", "ann\x00@example.org", "Null characters are not allowed."),
    ("email", "ann\u200b@example.org", "Please enter a valid email address"),
    ("country", "", "Please choose your country or region."),
    ("country", "XX", "Please choose a country or region from the list."),
    ("country", "TW\x00", "Please choose a country or region from the list."),
    ("comment", "x" * 1001, "Please keep your comment to 1000 characters (it has 1001)."),
    ("comment", "Hello\x00", "Null characters are not allowed."),
    ("comment", "Hello\x07", "invisible or control character (U+0007)"),
    ("comment", "Hello\u200dthere", "invisible or control character (U+200D)"),
    ("comment", "Hello\tthere", "invisible or control character (U+0009)"),
]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    BAD_INPUT,
    ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(BAD_INPUT)],
)
def test_bad_input_gets_its_error_and_stores_nothing(client, open_petition, field, value, message):
    response = _post(client, open_petition, **{field: value})

    assert response.status_code == 200
    assert any(message in error for error in _errors(response)[field]), _errors(response)
    assert not Signature.objects.exists()


def test_errors_are_announced_and_linked_to_their_fields(client, open_petition):
    response = _post(client, open_petition, full_name="", email="nope")

    content = response.content.decode()
    assert 'role="alert"' in content
    assert '<a href="#id_full_name">Full name</a>: Please enter your name.' in content
    assert 'aria-invalid="true"' in content


def test_the_form_uses_labels_not_placeholders(client, open_petition):
    content = client.get(f"/petitions/{open_petition.slug}/").content.decode()

    assert "placeholder=" not in content
    for field in ["full_name", "email", "country", "comment", "show_name_publicly"]:
        assert f'for="id_{field}"' in content


def test_the_consents_are_unticked_on_the_form(client, open_petition):
    form = client.get(f"/petitions/{open_petition.slug}/").context["form"]

    assert not form["show_name_publicly"].value()
    assert not form["wants_updates"].value()


def test_text_is_stored_nfc_normalised_and_trimmed(client, open_petition):
    _post(client, open_petition, full_name="  Jose\u0301   Martí  ", comment="Cafe\u0301\r\nbien")

    signature = Signature.objects.get()
    assert signature.full_name == "Jos\u00e9 Martí"
    assert signature.comment == "Caf\u00e9\nbien"


@pytest.mark.parametrize(
    "name", ["J. R. R. Tolkien", "王小明", "Mary-Ann O'Neil", "Zoë d'Arc", "Nguyễn Thị Minh Khai"]
)
def test_ordinary_names_are_accepted(client, open_petition, name):
    response = _post(client, open_petition, full_name=name)

    assert response.status_code == 302
    assert Signature.objects.get().full_name == name


def test_a_comment_keeps_its_line_breaks(client, open_petition):
    _post(client, open_petition, comment="First line\nSecond line")

    assert Signature.objects.get().comment == "First line\nSecond line"


HOSTILE = [
    "\x00",
    "\x00" * 5000,
    "\uffff",
    "\U0010ffff",
    "\u202e",
    "'; DROP TABLE petitions_signature; --",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% debug %}",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "A" * 100_000,
    "\u0301" * 500,
    "😀" * 300,
    "ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ",
    "=cmd|' /C calc'!A0",
    "\r\n\r\nBcc: victim@example.org",
    "ann@example.org\r\nBcc: victim@example.org",
    "ann@[127.0.0.1]",
    "ann@xn--",
    "ann@" + "a" * 64 + ".org",
    "@",
    "",
    " ",
]


def test_hostile_values_in_every_field_never_cause_a_server_error(client, open_petition):
    client.raise_request_exception = False
    chooser = random.Random(20260604)
    fields = ["full_name", "email", "country", "comment", "show_name_publicly", "wants_updates"]
    for value in HOSTILE:
        for field in fields:
            response = _post(client, open_petition, **{field: value})
            assert response.status_code < 500, (field, value)
    for _ in range(200):
        data = {field: chooser.choice(HOSTILE) for field in chooser.sample(fields, 3)}
        response = _post(client, open_petition, **data)
        assert response.status_code < 500, data


def test_a_list_of_values_for_one_field_never_causes_a_server_error(client, open_petition):
    client.raise_request_exception = False

    response = client.post(
        reverse("petitions:sign", kwargs={"slug": open_petition.slug}),
        {**VALID_SIGNER, "full_name": ["Ann", "Bob"], "email": ["a@example.org", "b@x.org"]},
    )

    assert response.status_code == 302
    assert Signature.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        b"full_name=%ED%A0%80&email=ann%40example.org&country=GB",  # an encoded surrogate
        b"full_name=%FF%FE&email=%C0%AF%40example.org&country=GB",  # bytes that are not UTF-8
        b"full_name=Ann&email=ann%40example.org&country=GB&country=%00%00",
        b"%%%%&&&===",
    ],
)
def test_undecodable_bytes_never_cause_a_server_error(client, open_petition, body):
    client.raise_request_exception = False

    response = client.post(
        reverse("petitions:sign", kwargs={"slug": open_petition.slug}),
        body,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code < 500
