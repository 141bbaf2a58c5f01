"""
The name field tells the truth: right beside it, who receives the name (the petition's target,
on the delivered list) and that initials or a chosen name are accepted; the country field says
it goes with the list. Each help text is tied to its field for a screen reader.
"""

import re

import pytest

from petitions.forms import SignatureForm
from petitions.models import Petition

pytestmark = pytest.mark.django_db


def _described_by(page: str, field_id: str) -> str:
    tag = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{field_id}"[^>]*>', page).group(0)
    return re.search(r'aria-describedby="([^"]+)"', tag).group(1)


def _help_text(page: str, help_id: str) -> str:
    return re.search(rf'<div id="{help_id}"[^>]*>(.*?)</div>', page, re.DOTALL).group(1)


def test_the_name_field_names_the_target_and_accepts_initials(client, open_petition):
    page = client.get(f"/petitions/{open_petition.slug}/").content.decode()

    help_text = _help_text(page, _described_by(page, "id_full_name"))
    assert "on the list of signers, to The State Archives Administration." in help_text
    assert "Initials or a name you choose are accepted" in help_text


def test_the_country_field_says_it_goes_with_the_list(client, open_petition):
    page = client.get(f"/petitions/{open_petition.slug}/").content.decode()

    help_text = _help_text(page, _described_by(page, "id_country"))
    assert "Sent with your name on the delivered list." in help_text
    assert "public count of signers per country or region" in help_text


def test_the_name_help_names_the_target_in_the_page_language(client, open_petition):
    Petition.objects.filter(pk=open_petition.pk).update(target_zh_hant="國家檔案局")

    page = client.get(f"/zh-hant/petitions/{open_petition.slug}/").content.decode()

    assert "國家檔案局" in _help_text(page, _described_by(page, "id_full_name"))


def test_a_form_with_errors_keeps_the_help_beside_the_name(client, open_petition):
    page = client.post(f"/petitions/{open_petition.slug}/sign/", {}).content.decode()

    described_by = _described_by(page, "id_full_name")
    assert "id_full_name_helptext" in described_by
    assert "The State Archives Administration" in _help_text(page, "id_full_name_helptext")


def test_without_a_target_the_help_still_says_where_the_name_goes():
    form = SignatureForm()

    assert "to the petition's target" in str(form.fields["full_name"].help_text)
