"""Silent anti-automation on the sign and endorse forms (petitions/abuse.py)."""

import re
import time

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from petitions import abuse, client_address
from petitions.counting import count_signatures
from petitions.form_stamp import FIELD_NAME, form_stamp_age
from petitions.models import EmailDomainRule, Endorsement, NetworkRule, Petition, Signature

from .conftest import VALID_SIGNER, aged_form_stamp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_lists():
    abuse.forget_rules()
    yield
    abuse.forget_rules()


def _sign(petition: Petition, client_address: str = "203.0.113.7", **data: str):
    client = Client(REMOTE_ADDR=client_address)
    return client.post(
        reverse("petitions:sign", kwargs={"slug": petition.slug}), {**VALID_SIGNER, **data}
    )


def _status(email: str) -> str:
    return Signature.objects.get(email=email).status


def test_200_rapid_signatures_from_one_client_are_suspected_beyond_the_limit_and_look_the_same(
    open_petition, mailoutbox, django_capture_on_commit_callbacks
):
    normal = _sign(open_petition, "198.51.100.1", email="normal@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            _sign(open_petition, "203.0.113.7", email=f"bot-{n}@example.org") for n in range(200)
        ]

    statuses = [_status(f"bot-{n}@example.org") for n in range(200)]
    assert statuses[:5] == [Signature.Status.PENDING] * 5
    assert statuses[5:] == [Signature.Status.SUSPECTED] * 195
    # Exactly the bytes a normal signer gets: status line, headers and body.
    assert {response.serialize() for response in responses} == {normal.serialize()}
    # Only the five within the limit get a confirmation mail (and the normal signer, whose
    # mail the same job sends).
    mailed = sorted(address for message in mailoutbox for address in message.to)
    assert mailed == [f"bot-{n}@example.org" for n in range(5)] + ["normal@example.org"]
    Signature.objects.filter(status=Signature.Status.PENDING).update(status="confirmed")
    count_signatures()
    open_petition.refresh_from_db()
    assert open_petition.signature_count == 6


def test_the_limits_are_per_petition_settings_with_a_daily_window(open_petition):
    Petition.objects.filter(pk=open_petition.pk).update(
        signatures_per_client_per_minute=100, signatures_per_client_per_day=3
    )
    caches["local"].clear()  # the sign request reads the petition from the cache

    for n in range(5):
        _sign(open_petition, email=f"n{n}@example.org")

    assert [_status(f"n{n}@example.org") for n in range(5)] == ["pending"] * 3 + ["suspected"] * 2


def test_signatures_older_than_the_windows_do_not_count(open_petition):
    for n in range(5):
        _sign(open_petition, email=f"old{n}@example.org")
    Signature.objects.update(created_at=Signature.objects.first().created_at.replace(year=2020))

    _sign(open_petition, email="new@example.org")

    assert _status("new@example.org") == Signature.Status.PENDING


def test_a_spoofed_forwarded_address_does_not_evade_the_rate_limit(open_petition, settings):
    settings.TRUSTED_PROXY_HEADER = ""
    for n in range(10):
        client = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        client.post(
            reverse("petitions:sign", kwargs={"slug": open_petition.slug}),
            {**VALID_SIGNER, "email": f"spoof{n}@example.org"},
        )

    assert Signature.objects.filter(status=Signature.Status.SUSPECTED).count() == 5


def test_behind_our_proxy_each_client_has_its_own_limit(open_petition, settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"
    for n in range(10):
        client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP=f"198.51.100.{n}")
        client.post(
            reverse("petitions:sign", kwargs={"slug": open_petition.slug}),
            {**VALID_SIGNER, "email": f"person{n}@example.org"},
        )

    assert not Signature.objects.filter(status=Signature.Status.SUSPECTED).exists()


def test_the_client_address_is_stored_only_as_a_keyed_hash(open_petition):
    _sign(open_petition, "203.0.113.77")

    signature = Signature.objects.get()
    assert len(signature.client_hash) == 32
    assert "203.0.113.77" not in str(Signature.objects.values().get())


@pytest.mark.parametrize("trusted_header", ["", "HTTP_X_REAL_IP"])
def test_a_signature_reads_the_client_address_once_for_all_it_stores(
    open_petition, settings, monkeypatch, trusted_header
):
    settings.TRUSTED_PROXY_HEADER = trusted_header
    reads = []
    monkeypatch.setattr(
        client_address, "_valid_address", _counted(client_address._valid_address, reads)
    )

    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_REAL_IP="203.0.113.7")
    client.post(reverse("petitions:sign", kwargs={"slug": open_petition.slug}), VALID_SIGNER)

    signature = Signature.objects.get()
    assert len(reads) == 1
    assert signature.network == "203.0.113.0/24"
    assert len(signature.client_hash) == 32


def _counted(function, calls: list):
    def counted(*args, **kwargs):
        calls.append(args)
        return function(*args, **kwargs)

    return counted


def test_an_allowed_network_is_exempt_from_the_rate_limit(open_petition):
    NetworkRule.objects.create(network="203.0.113.0/24", is_allowed=True)
    abuse.forget_rules()  # as the admin does on save (a lingering request may have cached them)

    for n in range(8):
        _sign(open_petition, "203.0.113.7", email=f"office{n}@example.org")

    assert not Signature.objects.filter(status=Signature.Status.SUSPECTED).exists()


def test_a_blocked_network_is_suspected(open_petition):
    NetworkRule.objects.create(network="2001:db8::/32", is_allowed=False)
    abuse.forget_rules()  # as the admin does on save (a lingering request may have cached them)

    _sign(open_petition, "2001:db8:1::5", email="blocked@example.org")
    _sign(open_petition, "198.51.100.5", email="elsewhere@example.org")

    assert _status("blocked@example.org") == Signature.Status.SUSPECTED
    assert _status("elsewhere@example.org") == Signature.Status.PENDING


@pytest.mark.parametrize(
    "email",
    ["someone@mailinator.com", "someone@spam.example", "someone@mail.spam.example"],
)
def test_a_blocked_or_disposable_mail_domain_is_suspected_with_the_same_response(
    open_petition, mailoutbox, email, django_capture_on_commit_callbacks
):
    EmailDomainRule.objects.create(domain="spam.example")
    abuse.forget_rules()  # as the admin does on save (a lingering request may have cached them)
    with django_capture_on_commit_callbacks(execute=True):
        normal = _sign(open_petition, "198.51.100.1", email="normal@example.org")
        response = _sign(open_petition, "198.51.100.2", email=email)

    assert _status(email) == Signature.Status.SUSPECTED
    assert response.serialize() == normal.serialize()
    assert len(mailoutbox) == 1


def test_a_disposable_domain_staff_allowed_is_not_suspected(open_petition):
    EmailDomainRule.objects.create(domain="mailinator.com", is_allowed=True)
    abuse.forget_rules()  # as the admin does on save (a lingering request may have cached them)

    _sign(open_petition, email="someone@mailinator.com")

    assert _status("someone@mailinator.com") == Signature.Status.PENDING


def test_the_lists_are_validated_in_the_admin_forms():
    rule = NetworkRule(network=" 203.0.113.9/24 ")
    rule.clean()
    assert rule.network == "203.0.113.0/24"
    domain = EmailDomainRule(domain="@Spam.Example.")
    domain.clean()
    assert domain.domain == "spam.example"
    with pytest.raises(Exception, match="network"):
        NetworkRule(network="not a network").clean()


def test_a_filled_honeypot_is_suspected_with_the_same_response(open_petition):
    normal = _sign(open_petition, "198.51.100.1", email="normal@example.org")

    response = _sign(open_petition, "198.51.100.2", email="bot@example.org", homepage="x")

    assert _status("bot@example.org") == Signature.Status.SUSPECTED
    assert response.serialize() == normal.serialize()


@pytest.mark.parametrize(
    "stamp",
    [
        lambda: "",
        lambda: "1234",
        lambda: aged_form_stamp(60)[:-2] + "xx",
        lambda: aged_form_stamp(0.5),
    ],
    ids=["missing", "not-a-stamp", "tampered", "too-fast"],
)
def test_a_missing_tampered_or_too_fast_render_time_is_suspected(open_petition, stamp, settings):
    # A minimum far above the stamp's half second: still too fast on a slow, busy machine.
    settings.FORM_MIN_SECONDS = 30
    _sign(
        open_petition,
        email="quick@example.org",
        rendered_at=stamp(),
    )

    assert _status("quick@example.org") == Signature.Status.SUSPECTED


def test_the_minimum_time_is_a_setting(open_petition, settings):
    settings.FORM_MIN_SECONDS = 0.2

    _sign(open_petition, email="quick@example.org", rendered_at=aged_form_stamp(0.5))

    assert _status("quick@example.org") == Signature.Status.PENDING


def test_a_stale_form_is_shown_again_with_its_values_and_a_message(open_petition):
    response = _sign(
        open_petition,
        full_name="Wen Stale",
        email="stale@example.org",
        rendered_at=aged_form_stamp(3 * 60 * 60),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert not Signature.objects.exists()
    assert "This form was open for a long time" in content
    assert 'value="Wen Stale"' in content
    assert 'value="stale@example.org"' in content
    fresh = re.search(rf'name="{FIELD_NAME}" value="([^"]+)"', content).group(1)
    assert fresh != aged_form_stamp(3 * 60 * 60)


def _stamp_in(response) -> str:
    return re.search(rf'name="{FIELD_NAME}" value="([^"]+)"', response.content.decode()).group(1)


def test_the_cached_petition_page_gives_every_visitor_a_fresh_render_time(open_petition):
    url = open_petition.get_absolute_url()
    first = _stamp_in(Client().get(url))
    time.sleep(0.2)
    second = _stamp_in(Client().get(url))  # from the cache

    assert first != second
    time.sleep(0.1)
    assert abuse.form_verdict("", second) is abuse.Verdict.SUSPECTED  # too fast
    assert 0 < form_stamp_age(second) < 5


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client, open_petition):
    content = client.get(open_petition.get_absolute_url()).content.decode()

    box = re.search(
        r'<div class="form-guard" aria-hidden="true">(.*?)</div>\s*</div>', content, re.S
    )
    assert box
    assert 'name="homepage"' in box.group(1)
    assert 'tabindex="-1"' in box.group(1)
    assert 'autocomplete="off"' in box.group(1)
    assert "Leave this field empty" in box.group(1)


def test_staff_block_a_domain_in_the_admin_and_the_next_signature_is_suspected(
    admin_client, open_petition
):
    abuse.email_domain_is_blocked("warm@example.org")  # the lists are cached

    response = admin_client.post(
        reverse("admin:petitions_emaildomainrule_add"), {"domain": "@Spam.Example", "note": ""}
    )

    assert response.status_code == 302
    assert EmailDomainRule.objects.get().domain == "spam.example"
    _sign(open_petition, email="someone@spam.example")
    assert _status("someone@spam.example") == Signature.Status.SUSPECTED


def test_staff_set_the_rate_limits_on_the_petition_page_of_the_admin(admin_client, open_petition):
    page = admin_client.get(reverse("admin:petitions_petition_change", args=[open_petition.pk]))

    assert 'name="signatures_per_client_per_minute" value="5"' in page.content.decode()
    assert 'name="signatures_per_client_per_day" value="30"' in page.content.decode()


@pytest.fixture
def endorsable(open_petition) -> Petition:
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    return open_petition


def _endorse(petition: Petition, **data: str):
    from .test_endorse import VALID_ENDORSEMENT

    return Client().post(
        reverse("petitions:endorse", kwargs={"slug": petition.slug}),
        {**VALID_ENDORSEMENT, **data},
    )


@pytest.mark.parametrize(
    "data",
    [{"homepage": "https://spam.example"}, {"rendered_at": ""}],
    ids=["honeypot", "no-render-time"],
)
def test_an_automated_endorsement_is_dropped_with_the_same_redirect(
    endorsable, mailoutbox, data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        normal = _endorse(endorsable)
    Endorsement.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = _endorse(endorsable, organisation_name="Another Org", **data)

    assert response.status_code == 302
    assert response["Location"] == normal["Location"]
    assert not Endorsement.objects.exists()
    assert len(mailoutbox) == 1  # the normal one's


def test_a_stale_endorse_form_is_shown_again_with_its_values(endorsable):
    response = _endorse(endorsable, rendered_at=aged_form_stamp(3 * 60 * 60))

    assert response.status_code == 400
    assert "This form was open for a long time" in response.content.decode()
    assert 'value="Example Rights Watch"' in response.content.decode()
    assert not Endorsement.objects.exists()
