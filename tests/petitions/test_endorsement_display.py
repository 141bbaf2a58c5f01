"""What the public sees of endorsements: only approved ones, never a contact's details."""

import pytest
from django.core import mail
from django.urls import reverse

from petitions.models import Endorsement, Petition
from petitions.views import ENDORSEMENTS_ON_PETITION_PAGE

from .endorsement_helpers import make_endorsement

pytestmark = pytest.mark.django_db

APPROVED = Endorsement.Status.APPROVED


@pytest.fixture
def endorsable(open_petition) -> Petition:
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    open_petition.refresh_from_db()
    return open_petition


def _public_texts(client, petition: Petition) -> dict[str, str]:
    slug = petition.slug
    return {
        path: client.get(path).content.decode()
        for prefix in ["", "/zh-hant", "/zh-hans"]
        for path in [
            f"{prefix}/petitions/{slug}/",
            f"{prefix}/petitions/{slug}/endorsements/",
            f"{prefix}/petitions/{slug}/count.json",
        ]
    }


def test_only_approved_endorsements_are_public(client, endorsable):
    make_endorsement(endorsable, "Approved Alliance", status=APPROVED)
    make_endorsement(endorsable, "Pending Partners", status=Endorsement.Status.PENDING)
    make_endorsement(endorsable, "Awaiting Association")
    make_endorsement(
        endorsable, "Rejected Remnant", status=Endorsement.Status.REJECTED, rejection_reason="x"
    )

    for path, text in _public_texts(client, endorsable).items():
        if not path.endswith(".json"):
            assert "Approved Alliance" in text, path
        for hidden in ["Pending Partners", "Awaiting Association", "Rejected Remnant"]:
            assert hidden not in text, path


def test_no_contact_detail_is_ever_public(client, endorsable):
    endorsement = make_endorsement(
        endorsable, "Open Org", status=APPROVED, contact_role="Treasurer Zed"
    )

    for path, text in _public_texts(client, endorsable).items():
        assert endorsement.contact_name not in text, path
        assert endorsement.email not in text, path
        assert "Treasurer Zed" not in text, path
        assert "@" not in text.replace("@context", ""), path


def test_the_page_says_how_many_and_lists_by_country_then_name(client, endorsable):
    make_endorsement(endorsable, "Zeta Union", country="GB", status=APPROVED)
    make_endorsement(endorsable, "Alpha Group", country="GB", status=APPROVED)
    make_endorsement(endorsable, "Beta Collective", country="FR", status=APPROVED)
    make_endorsement(endorsable, "Global Network", country="", status=APPROVED)

    page = client.get(endorsable.get_absolute_url()).content.decode()
    # From the endorsements on: the sign form, before them, lists every country.
    text = page[page.index('id="endorsements-heading"') :]

    assert "Endorsed by 4 organisations" in text
    order = [
        text.index(name)
        for name in [
            "France",
            "Beta Collective",
            "United Kingdom",
            "Alpha Group",
            "Zeta Union",
            "International",
            "Global Network",
        ]
    ]
    assert order == sorted(order)


def test_websites_are_linked_nofollow_noopener(client, endorsable):
    endorsement = make_endorsement(endorsable, "Linked Org", status=APPROVED)

    text = client.get(endorsable.get_absolute_url()).content.decode()

    assert (
        f'<a href="{endorsement.organisation.website}" rel="nofollow noopener">Linked Org</a>'
        in text
    )


def test_a_long_list_shows_the_first_ones_and_links_to_the_full_page(client, endorsable):
    for number in range(ENDORSEMENTS_ON_PETITION_PAGE + 5):
        make_endorsement(endorsable, f"Org {number:03d}", status=APPROVED)
    full_list = reverse("petitions:endorsement-list", args=[endorsable.slug])

    page = client.get(endorsable.get_absolute_url()).content.decode()
    everything = client.get(full_list).content.decode()

    assert page.count("Org 0") == ENDORSEMENTS_ON_PETITION_PAGE
    assert f'href="{full_list}"' in page
    assert everything.count("Org 0") == ENDORSEMENTS_ON_PETITION_PAGE + 5


def test_the_json_has_the_approved_endorsement_count(client, endorsable):
    make_endorsement(endorsable, status=APPROVED)
    make_endorsement(endorsable)

    data = client.get(reverse("petitions:petition-count", args=[endorsable.slug])).json()

    assert data["endorsement_count"] == 1


def test_the_page_with_endorsements_costs_five_queries_and_no_count(
    client, endorsable, django_assert_num_queries
):
    for _ in range(30):
        make_endorsement(endorsable, status=APPROVED)

    with django_assert_num_queries(5) as captured:
        client.get(endorsable.get_absolute_url())

    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)


def test_the_full_list_costs_two_queries(client, endorsable, django_assert_num_queries):
    for _ in range(30):
        make_endorsement(endorsable, status=APPROVED)

    with django_assert_num_queries(2):
        client.get(reverse("petitions:endorsement-list", args=[endorsable.slug]))


def test_a_draft_petitions_endorsements_are_not_found(client, draft_petition):
    response = client.get(reverse("petitions:endorsement-list", args=[draft_petition.slug]))

    assert response.status_code == 404


def test_a_petition_that_takes_no_endorsements_shows_no_endorsement_section(client, open_petition):
    text = client.get(open_petition.get_absolute_url()).content.decode()

    assert "Endorsed by" not in text
    assert "Endorse as an organisation" not in text
    assert mail.outbox == []


def test_the_full_list_shows_approved_statements_of_support(client, endorsable):
    make_endorsement(endorsable, status=APPROVED, statement="Justice for the families.")
    make_endorsement(endorsable, statement="Not yet reviewed.")

    text = client.get(reverse("petitions:endorsement-list", args=[endorsable.slug])).content
    page = client.get(endorsable.get_absolute_url()).content

    assert "Justice for the families." in text.decode()
    assert "Not yet reviewed." not in text.decode()
    assert "Justice for the families." not in page.decode()  # the petition page stays short
