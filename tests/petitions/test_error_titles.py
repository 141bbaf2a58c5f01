"""
After a failed submission of any public form, the page title starts with "Error:" in the page's
language: the first words a screen reader says, and what the browser tab shows.
"""

import re

import pytest

from petitions.models import Petition

pytestmark = pytest.mark.django_db

ERROR = {"": "Error: ", "/zh-hant": "錯誤：", "/zh-hans": "错误："}
# Every public form, by the address it posts to.
FORM_ADDRESSES = ["/petitions/{slug}/sign/", "/petitions/{slug}/endorse/"]


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


@pytest.mark.parametrize("prefix", ERROR)
@pytest.mark.parametrize("address", FORM_ADDRESSES)
def test_a_failed_submission_titles_its_page_error(client, open_petition, prefix, address):
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)

    response = client.post(prefix + address.format(slug=open_petition.slug), {})

    assert 'id="form-errors"' in response.content.decode()
    assert _title(response).startswith(ERROR[prefix])


@pytest.mark.parametrize("address", ["/petitions/{slug}/", "/petitions/{slug}/endorse/"])
def test_the_form_pages_are_not_titled_error_before_a_submission(client, open_petition, address):
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)

    response = client.get(address.format(slug=open_petition.slug))

    assert not _title(response).startswith("Error")


def test_a_refused_signature_titles_its_page_error(client, closed_petition):
    response = client.post(f"/petitions/{closed_petition.slug}/sign/", {})

    assert response.status_code == 409
    assert _title(response).startswith("Error:")
