import pytest
from django.test import RequestFactory

from petitions.client_address import axes_client_pseudonym, client_address, client_address_hash


def _request(remote_addr: str = "203.0.113.7", **headers: str):
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


def test_without_a_trusted_header_the_connection_address_is_the_client(settings):
    settings.TRUSTED_PROXY_HEADER = ""

    request = _request(HTTP_X_FORWARDED_FOR="198.51.100.1", HTTP_X_REAL_IP="198.51.100.2")

    assert client_address(request) == "203.0.113.7"


def test_a_trusted_real_ip_header_is_used(settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"

    request = _request(remote_addr="10.0.0.2", HTTP_X_REAL_IP="198.51.100.2")

    assert client_address(request) == "198.51.100.2"


def test_a_spoofed_forwarded_for_is_ignored_when_another_header_is_trusted(settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"

    request = _request(
        remote_addr="10.0.0.2", HTTP_X_REAL_IP="198.51.100.2", HTTP_X_FORWARDED_FOR="192.0.2.66"
    )

    assert client_address(request) == "198.51.100.2"


def test_only_the_entry_our_proxy_appended_to_forwarded_for_counts(settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 1

    # The client wrote the first entry itself; our proxy appended the address it saw.
    request = _request(remote_addr="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.66, 198.51.100.2")

    assert client_address(request) == "198.51.100.2"


def test_two_proxies_of_ours_mean_the_second_entry_from_the_right(settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 2

    request = _request(
        remote_addr="10.0.0.3", HTTP_X_FORWARDED_FOR="192.0.2.66, 198.51.100.2, 10.0.0.2"
    )

    assert client_address(request) == "198.51.100.2"


@pytest.mark.parametrize("forged", ["", "not-an-address", "1.2.3.4.5", "<script>"])
def test_a_missing_or_malformed_trusted_header_falls_back_to_the_connection(settings, forged):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"

    request = _request(remote_addr="10.0.0.2", HTTP_X_REAL_IP=forged)

    assert client_address(request) == "10.0.0.2"


def test_the_hash_is_keyed_stable_and_never_the_address(settings):
    first = client_address_hash(_request())
    again = client_address_hash(_request())
    other = client_address_hash(_request("203.0.113.8"))
    settings.SECRET_KEY = "another-key-" + "y" * 50
    rekeyed = client_address_hash(_request())

    assert first == again
    assert len(first) == 32
    assert "203.0.113.7" not in first
    assert first not in {other, rekeyed}


def test_one_ipv6_client_counts_as_one_whatever_address_of_its_64_it_uses():
    first = client_address_hash(_request("2001:db8:1:2::1"))
    rotated = client_address_hash(_request("2001:db8:1:2:ffff::9"))
    neighbour = client_address_hash(_request("2001:db8:1:3::1"))

    assert first == rotated
    assert first != neighbour


def test_axes_sees_a_pseudonymous_address_not_the_real_one():
    pseudonym = axes_client_pseudonym(_request())

    assert pseudonym != "203.0.113.7"
    assert ":" in pseudonym  # a valid IPv6 address, as axes' GenericIPAddressField requires
    assert pseudonym == axes_client_pseudonym(_request())
