import pytest

from petitions.email_keys import email_key


@pytest.mark.parametrize(
    "typed",
    ["Ann@Example.org", " ann@example.org ", "ANN@EXAMPLE.ORG", "ann@example.org."],
)
def test_case_and_spacing_variants_share_one_key(typed):
    assert email_key(typed) == "ann@example.org"


def test_gmail_ignores_dots_and_plus_tags_and_googlemail_is_gmail():
    assert email_key("a.n.n+x@gmail.com") == email_key("ann@googlemail.com") == "ann@gmail.com"


def test_dots_matter_at_other_providers():
    assert email_key("a.nn@example.org") != email_key("ann@example.org")


def test_plus_tags_are_kept_at_unknown_domains_where_they_may_be_other_mailboxes():
    assert email_key("ann+board@example.org") != email_key("ann@example.org")


def test_plus_tags_are_dropped_at_providers_that_document_them():
    assert email_key("ann+petitions@outlook.com") == email_key("ann@outlook.com")


def test_international_domains_are_idna_encoded():
    assert email_key("ann@例え.JP") == "ann@xn--r8jz45g.jp"


def test_unicode_case_folding_is_full_not_just_lowercase():
    assert email_key("STRASSE@example.de") == email_key("straße@example.de")


def test_composed_and_decomposed_accents_share_one_key():
    assert email_key("jose\u0301@example.org") == email_key("jos\u00e9@example.org")
