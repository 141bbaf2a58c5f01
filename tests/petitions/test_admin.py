import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from petitions.models import Signature

from .conftest import make_signature

pytestmark = pytest.mark.django_db


def test_the_petition_admin_lists_and_opens_a_petition(admin_client, open_petition):
    listing = admin_client.get(reverse("admin:petitions_petition_changelist"))
    change = admin_client.get(reverse("admin:petitions_petition_change", args=[open_petition.pk]))

    assert listing.status_code == 200
    assert "Open the archives" in listing.content.decode()
    assert change.status_code == 200
    content = change.content.decode()
    for heading in ["English", "Traditional Chinese", "Simplified Chinese"]:
        assert heading in content


def test_the_signature_changelist_filters_by_petition_status_and_country(
    admin_client, open_petition, closed_petition
):
    make_signature(open_petition, full_name="Taiwan Confirmed", country="TW", status="confirmed")
    make_signature(open_petition, full_name="Britain Pending", country="GB")
    make_signature(closed_petition, full_name="Closed Signer", country="TW", status="confirmed")
    url = reverse("admin:petitions_signature_changelist")

    response = admin_client.get(
        url,
        # The parameters the filters' own links carry: others are refused (admin_lookups).
        {
            "petition__id__exact": open_petition.pk,
            "status__exact": "confirmed",
            "country__exact": "TW",
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Taiwan Confirmed" in content
    assert "Britain Pending" not in content
    assert "Closed Signer" not in content


def test_the_signature_changelists_past_7_days_link_leaves_out_older_signatures(
    admin_client, open_petition
):
    month_ago = timezone.now() - timedelta(days=30)
    make_signature(open_petition, full_name="Signed Today")
    make_signature(open_petition, full_name="Signed Last Month", created_at=month_ago)
    url = reverse("admin:petitions_signature_changelist")
    # The link staff click, as the date filter renders it (created_at__gte and created_at__lt).
    unfiltered = admin_client.get(url).content.decode()
    (href,) = re.findall(r'<a href="([^"]*)"[^>]*>Past 7 days</a>', unfiltered)
    query = html.unescape(href)

    response = admin_client.get(url + query)

    assert "created_at__gte=" in query and "created_at__lt=" in query
    assert "Signed Today" in unfiltered and "Signed Last Month" in unfiltered
    content = response.content.decode()
    assert response.status_code == 200
    assert "Signed Today" in content
    assert "Signed Last Month" not in content


def test_the_signature_search_finds_an_exact_email_through_the_canonical_key(
    admin_client, open_petition
):
    make_signature(open_petition, full_name="Gmail Person", email="a.n.n+petition@gmail.com")
    make_signature(open_petition, full_name="Other Person", email="bob@example.org")

    response = admin_client.get(
        reverse("admin:petitions_signature_changelist"), {"q": "ANN@googlemail.com"}
    )

    content = response.content.decode()
    assert "Gmail Person" in content
    assert "Other Person" not in content


def test_the_signature_search_finds_a_name(admin_client, open_petition):
    make_signature(open_petition, full_name="Findable Person")
    make_signature(open_petition, full_name="Someone Else")

    response = admin_client.get(reverse("admin:petitions_signature_changelist"), {"q": "findable"})

    content = response.content.decode()
    assert "Findable Person" in content
    assert "Someone Else" not in content


def test_the_signature_changelist_runs_a_fixed_number_of_queries(
    admin_client, open_petition, django_assert_max_num_queries
):
    for _ in range(30):
        make_signature(open_petition)
    url = reverse("admin:petitions_signature_changelist")
    admin_client.get(url)  # warm the session and permission caches

    with django_assert_max_num_queries(12) as captured:
        admin_client.get(url)

    # No full-table count for "N total" (show_full_result_count = False).
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) <= 1


def test_system_fields_are_read_only(admin_client, open_petition):
    signature = make_signature(open_petition)

    response = admin_client.get(reverse("admin:petitions_signature_change", args=[signature.pk]))

    form = response.context["adminform"].form
    for name in ["email_key", "created_at", "confirmed_at", "is_counted", "petition"]:
        assert name not in form.fields


def test_staff_cannot_add_a_signature_by_hand(admin_client):
    response = admin_client.get(reverse("admin:petitions_signature_add"))

    assert response.status_code == 403


def test_rejecting_a_counted_signature_in_the_admin_takes_it_off_the_count(
    admin_client, open_petition
):
    from petitions.counting import count_signatures

    signature = make_signature(open_petition, status=Signature.Status.CONFIRMED)
    count_signatures()
    # Through the "Reject" action: the change form shows the status but does not edit it.
    url = reverse("admin:petitions_signature_changelist")
    data = {"action": "reject_selected", "_selected_action": [signature.pk]}

    response = admin_client.post(url, data)
    count_signatures()

    assert response.status_code == 302
    open_petition.refresh_from_db()
    assert open_petition.signature_count == 0
