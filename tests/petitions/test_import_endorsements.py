"""Staff import a list of organisations as approved endorsements: command and admin upload."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from petitions.models import Endorsement, Organisation, Petition

pytestmark = pytest.mark.django_db

LIST = """\
Example Network | GB | https://network.example.org
Example Collective | | https://collective.example
Example Union | FR
Example Faith Circle

Bad Country Org | XX
Bad Website Org | GB | javascript:alert(1)
FTP Org | GB | ftp://files.example.org
EXAMPLE network
=Formula Org
# a comment line is ignored
"""


@pytest.fixture
def endorsable(open_petition) -> Petition:
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    open_petition.refresh_from_db()
    return open_petition


def _import(petition: Petition, text: str, tmp_path) -> str:
    path = tmp_path / "list.txt"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_endorsements", petition.slug, str(path), stdout=out)
    return out.getvalue()


def test_the_import_creates_approved_endorsements_without_contacts(endorsable, tmp_path):
    _import(endorsable, LIST, tmp_path)

    endorsements = Endorsement.objects.order_by("organisation__name")
    assert [e.organisation.name for e in endorsements] == [
        "Example Collective",
        "Example Faith Circle",
        "Example Network",
        "Example Union",
    ]
    assert {e.status for e in endorsements} == {Endorsement.Status.APPROVED}
    assert {e.email for e in endorsements} == {""}
    network = Organisation.objects.get(name="Example Network")
    assert (network.country.code, network.website) == ("GB", "https://network.example.org")
    endorsable.refresh_from_db()
    assert endorsable.endorsement_count == 4


def test_the_import_reports_what_it_skipped_and_why(endorsable, tmp_path):
    output = _import(endorsable, LIST, tmp_path)

    assert "4 created, 0 matched an existing organisation, 6 skipped." in output
    assert "line 5: skipped (blank)" in output
    assert "line 6: skipped (bad country code 'XX')" in output
    assert "line 7: skipped (bad website (http:// or https:// only))" in output
    assert "line 8: skipped (bad website" in output
    assert "line 9: skipped (duplicate in the file): EXAMPLE network" in output
    assert "line 10: skipped (bad name" in output


def test_importing_the_same_list_twice_creates_nothing_new(endorsable, tmp_path):
    _import(endorsable, LIST, tmp_path)
    before = (Organisation.objects.count(), Endorsement.objects.count())

    output = _import(endorsable, LIST, tmp_path)

    assert (Organisation.objects.count(), Endorsement.objects.count()) == before
    assert output.startswith("0 created, 0 matched")
    assert output.count("already endorsed") == 4


def test_an_existing_organisation_is_matched_and_reported(endorsable, tmp_path):
    Organisation.objects.create(name="Example Network")

    output = _import(endorsable, "Example  NETWORK | GB\n", tmp_path)

    assert output.startswith("0 created, 1 matched")
    assert Organisation.objects.get().country.code == "GB"  # a blank filled in


def test_an_unknown_petition_is_an_error(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("Org\n", encoding="utf-8")

    with pytest.raises(CommandError):
        call_command("import_endorsements", "no-such-petition", str(path))


def test_staff_upload_a_list_in_the_admin(admin_client, endorsable):
    upload = SimpleUploadedFile("list.txt", LIST.encode(), content_type="text/plain")

    response = admin_client.post(
        reverse("admin:petitions_endorsement_import"),
        {"petition": endorsable.pk, "file": upload},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "4 created, 0 matched an existing organisation, 6 skipped." in content
    assert "duplicate in the file" in content
    assert Endorsement.objects.approved().count() == 4


def test_the_upload_page_is_for_staff_only(client, endorsable):
    response = client.get(reverse("admin:petitions_endorsement_import"))

    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_a_file_that_is_not_utf8_is_refused(admin_client, endorsable):
    upload = SimpleUploadedFile("list.txt", "Café Org\n".encode("utf-16"))

    response = admin_client.post(
        reverse("admin:petitions_endorsement_import"),
        {"petition": endorsable.pk, "file": upload},
    )

    assert "The file is not UTF-8 text." in response.content.decode()
    assert not Endorsement.objects.exists()


def test_the_demo_endorsements_are_fictional_and_idempotent():
    from petitions.demo import create_demo_petitions

    (petition,) = create_demo_petitions()
    count = Endorsement.objects.count()
    create_demo_petitions()

    assert Endorsement.objects.count() == count > 0
    assert all("(demo)" in e.organisation.name for e in Endorsement.objects.all())
    assert petition.takes_signatures and petition.takes_endorsements
