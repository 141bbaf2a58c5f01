import json
import re

import pytest
from django.urls import reverse

from petitions.counting import count_signatures
from petitions.models import CountryTally, Petition, Signature
from tests.public_pages import public_page_paths

from .conftest import make_signature

pytestmark = pytest.mark.django_db

CONFIRMED = Signature.Status.CONFIRMED
SELECT = re.compile(r"<select\b.*?</select>", re.DOTALL)


def _detail(client, petition, prefix=""):
    return client.get(f"{prefix}/petitions/{petition.slug}/")


@pytest.fixture
def signed_petition(open_petition):
    """Signers in every state, with emails and names that must never leak."""
    make_signature(
        open_petition,
        full_name="Public Person",
        email="public.person@example.org",
        status=CONFIRMED,
        show_name_publicly=True,
        country="TW",
    )
    make_signature(
        open_petition,
        full_name="Private Person",
        email="private.person@example.org",
        status=CONFIRMED,
        country="TW",
    )
    make_signature(
        open_petition,
        full_name="Pending Person",
        email="pending.person@example.org",
        show_name_publicly=True,
    )
    make_signature(
        open_petition,
        full_name="Suspected Person",
        email="suspected.person@example.org",
        show_name_publicly=True,
        status=Signature.Status.SUSPECTED,
    )
    count_signatures()
    open_petition.refresh_from_db()
    return open_petition


def test_the_petition_page_shows_text_target_count_progress_and_countries(
    client, signed_petition, settings
):
    settings.PUBLIC_COUNTRY_MIN_SIGNERS = 2
    response = _detail(client, signed_petition)

    content = response.content.decode()
    assert response.status_code == 200
    assert "We ask for the archives to be opened." in content
    assert "The State Archives Administration" in content
    assert "<strong data-count>2</strong> signatures of 500" in content
    assert 'role="progressbar"' in content
    assert 'aria-valuemax="500" aria-valuenow="2"' in content
    assert 'Taiwan <span class="badge text-bg-light border">2</span>' in content


def test_a_country_with_fewer_signers_than_the_threshold_is_named_nowhere_public(
    client, open_petition, settings
):
    settings.PUBLIC_COUNTRY_MIN_SIGNERS = 3
    for _ in range(3):
        make_signature(open_petition, status=Signature.Status.CONFIRMED, country="HK")
    approved = {"status": Signature.Status.CONFIRMED, "comment_status": "approved"}
    make_signature(open_petition, country="MN", comment="From the steppe.", **approved)
    make_signature(open_petition, country="HK", comment="Never forget.", **approved)
    count_signatures()

    page = _detail(client, open_petition).content.decode()
    data = client.get(
        reverse("petitions:petition-count", kwargs={"slug": open_petition.slug})
    ).json()

    assert data["top_countries"] == [{"country": "HK", "signature_count": 4}]
    assert 'Hong Kong <span class="badge' in page
    assert 'Mongolia <span class="badge' not in page
    assert "From the steppe." in page and "Never forget." in page
    assert page.count("A signer</figcaption>") == 2


def test_signatures_an_outsider_adds_never_reveal_a_real_signers_country(client, open_petition):
    # One real signer from Liechtenstein, who wrote a comment without showing their name...
    make_signature(
        open_petition,
        country="LI",
        status=Signature.Status.CONFIRMED,
        comment="Solidarity from Vaduz.",
        comment_status="approved",
    )
    # ...and four signatures an attacker confirmed from their own mailboxes, to lift the
    # country over the public threshold.
    for _ in range(4):
        make_signature(open_petition, country="LI", status=Signature.Status.CONFIRMED)
    count_signatures()

    page = _detail(client, open_petition).content.decode()
    data = client.get(
        reverse("petitions:petition-count", kwargs={"slug": open_petition.slug})
    ).json()

    assert data["top_countries"] == []
    assert "Liechtenstein <span" not in page
    assert "Solidarity from Vaduz." in page
    assert "A signer</figcaption>" in page
    assert "A signer from" not in page


@pytest.mark.parametrize(
    ("signers", "shown"),
    [(99, None), (100, 100), (101, 100), (109, 100), (110, 110), (1234, 1230)],
)
def test_public_country_counts_start_at_the_threshold_in_bands_of_a_tenth_of_it(
    client, open_petition, settings, signers, shown
):
    settings.PUBLIC_COUNTRY_MIN_SIGNERS = 100
    CountryTally.objects.create(petition=open_petition, country="LI", signature_count=signers)

    data = client.get(
        reverse("petitions:petition-count", kwargs={"slug": open_petition.slug})
    ).json()
    page = _detail(client, open_petition).content.decode()

    expected = [] if shown is None else [{"country": "LI", "signature_count": shown}]
    assert data["top_countries"] == expected
    assert ("Liechtenstein <span" in page) is (shown is not None)
    if shown is not None:
        assert f'Liechtenstein <span class="badge text-bg-light border">{shown:,}</span>' in page


def test_the_petition_page_lists_only_consenting_confirmed_signers_and_never_an_email(
    client, signed_petition
):
    content = _detail(client, signed_petition).content.decode()

    assert "Public Person" in content
    for hidden in ["Private Person", "Pending Person", "Suspected Person", "@example.org"]:
        assert hidden not in content


def test_the_json_has_the_count_and_top_countries_and_no_personal_data(
    client, signed_petition, settings
):
    settings.PUBLIC_COUNTRY_MIN_SIGNERS = 2
    response = client.get(
        reverse("petitions:petition-count", kwargs={"slug": signed_petition.slug})
    )

    data = response.json()
    assert data == {
        "slug": "free-the-archive",
        "status": "open",
        "signature_count": 2,
        "goal": 500,
        "endorsement_count": 0,
        "top_countries": [{"country": "TW", "signature_count": 2}],
    }
    assert "@" not in response.content.decode()
    assert "Person" not in response.content.decode()


def test_the_petition_page_costs_four_queries_however_many_signatures(
    client, signed_petition, django_assert_num_queries
):
    # The petition, its top countries, its recent public signers, its approved comments: never
    # a count.
    with django_assert_num_queries(4) as captured:
        _detail(client, signed_petition)

    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)


def test_the_json_costs_two_queries(client, signed_petition, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get(reverse("petitions:petition-count", kwargs={"slug": signed_petition.slug}))


def test_the_petition_page_uses_no_session(client, signed_petition):
    response = _detail(client, signed_petition)

    assert "sessionid" not in response.cookies


def test_the_petition_page_has_open_graph_and_twitter_tags(client, open_petition, settings):
    settings.SITE_URL = "https://petition.example.org"

    content = _detail(client, open_petition).content.decode()

    assert '<meta property="og:title" content="Open the archives">' in content
    assert (
        '<meta property="og:url" content="https://petition.example.org/petitions/free-the-archive/">'
        in content
    )
    assert '<meta name="twitter:card" content="summary">' in content


def test_the_share_links_are_plain_links(client, open_petition):
    content = _detail(client, open_petition).content.decode()

    for start in [
        "mailto:?",
        "https://twitter.com/intent/tweet?",
        "https://www.facebook.com/sharer/sharer.php?",
        "https://t.me/share/url?",
        "https://wa.me/?",
    ]:
        assert f'href="{start}' in content
    assert "facebook.com/" not in "".join(content.split("<script")[1:])


def test_the_page_in_chinese_shows_the_chinese_title(client, open_petition):
    content = _detail(client, open_petition, "/zh-hant").content.decode()

    assert '<h1 id="petition-title">開放檔案</h1>' in content


def test_a_draft_petition_is_a_404(client, draft_petition):
    assert _detail(client, draft_petition).status_code == 404
    response = client.get(
        reverse("petitions:petition-count", kwargs={"slug": draft_petition.slug})
    )
    assert response.status_code == 404


def test_a_closed_petition_shows_its_final_count_says_it_is_closed_and_has_no_form(
    client, closed_petition
):
    content = _detail(client, closed_petition).content.decode()

    assert "This petition is closed" in content
    assert "Final count: 140 signatures." in content
    assert 'action="/petitions/an-earlier-call/sign/"' not in content


def test_the_petition_list_shows_open_petitions_before_closed_ones(
    client, open_petition, closed_petition
):
    content = client.get(reverse("petitions:petition-list")).content.decode()

    assert content.index("Open the archives") < content.index("An earlier call")


@pytest.mark.parametrize(
    "query",
    [
        "?page=%00",
        "?page=-1",
        "?page=0",
        "?page=99999999999999999999999999",
        "?page=abc",
        "?page=",
    ],
)
def test_junk_query_strings_never_cause_a_server_error(client, open_petition, query):
    for url in [
        reverse("petitions:petition-list"),
        reverse("petitions:petition-detail", kwargs={"slug": open_petition.slug}),
        reverse("petitions:petition-count", kwargs={"slug": open_petition.slug}),
    ]:
        assert client.get(url + query).status_code == 200


def test_stored_markup_is_rendered_escaped(client, open_petition):
    make_signature(
        open_petition,
        full_name='<script>alert("x")</script>',
        status=CONFIRMED,
        show_name_publicly=True,
    )
    count_signatures()

    content = _detail(client, open_petition).content.decode()

    assert '<script>alert("x")</script>' not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content


def test_the_list_paginates(client, open_petition):
    for number in range(25):
        Petition.objects.create(
            slug=f"p-{number}",
            status="open",
            title_en=f"Petition {number}",
            summary_en="s",
            text_en="t",
            target_en="x",
        )

    last_page = client.get(reverse("petitions:petition-list") + "?page=2")

    assert last_page.status_code == 200
    assert "Page 2 of 2" in last_page.content.decode()


def test_count_json_is_valid_json_with_a_short_public_cache_lifetime(client, open_petition):
    response = client.get(reverse("petitions:petition-count", kwargs={"slug": open_petition.slug}))

    assert json.loads(response.content)["signature_count"] == 0
    assert "max-age=15" in response["Cache-Control"]


def test_no_public_page_or_json_shows_an_email_or_a_non_consenting_name(client, signed_petition):
    slug = signed_petition.slug
    paths = [
        f"{prefix}/petitions/{page}"
        for prefix in ["", "/zh-hant", "/zh-hans"]
        for page in [
            "",
            f"{slug}/",
            f"{slug}/count.json",
            f"{slug}/check-your-email/",
            f"{slug}/thank-you/",
            f"{slug}/withdrawn/",
        ]
    ] + ["/", "/zh-hant/"]

    for path in paths:
        content = client.get(path).content.decode()
        for hidden in ["@example.org", "Private Person", "Pending Person", "Suspected Person"]:
            assert hidden not in content, (path, hidden)


def test_no_public_page_names_a_country_below_the_threshold(
    client, open_petition, closed_petition
):

    for petition in (open_petition, closed_petition):
        make_signature(
            petition,
            country="LI",
            status=Signature.Status.CONFIRMED,
            comment="Solidarity from Vaduz.",
            comment_status="approved",
        )
        for _ in range(4):
            make_signature(petition, country="LI", status=Signature.Status.CONFIRMED)
    count_signatures()
    paths = public_page_paths(open_petition, closed_petition) + [
        f"/petitions/{petition.slug}/count.json" for petition in (open_petition, closed_petition)
    ]

    naming = {}
    for path in paths:
        # The sign form's country list names every country: what it offers, not who signed.
        html = SELECT.sub("", client.get(path).content.decode())
        if "Liechtenstein" in html or '"LI"' in html:
            naming[path] = html
    assert list(naming) == []
