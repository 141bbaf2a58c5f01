"""The shared cache keeps answering, from each process's memory, while Redis is unreachable."""

import pytest

from campaign import shared_cache
from campaign.shared_cache import DegradingRedisCache

# Nothing listens there: every connection is refused at once.
UNREACHABLE_REDIS = "redis://127.0.0.1:9/0"
# The tests' own Redis database (the one the suite may use as CACHE_URL).
REACHABLE_REDIS = "redis://127.0.0.1:6379/12"


@pytest.fixture(autouse=True)
def _nothing_known_unreachable():
    shared_cache._unreachable_until.clear()
    yield
    shared_cache._unreachable_until.clear()


def _cache(location: str) -> DegradingRedisCache:
    cache = DegradingRedisCache(location, {"KEY_PREFIX": "test-shared-cache"})
    cache._fallback.clear()
    return cache


def test_with_redis_unreachable_every_operation_answers_from_local_memory():
    cache = _cache(UNREACHABLE_REDIS)

    assert cache.get("missing", "default") == "default"
    cache.set("key", "value", 30)
    assert cache.get("key") == "value"
    assert cache.add("counter", 0, 30)
    assert not cache.add("counter", 5, 30)
    assert cache.incr("counter") == 1
    assert cache.decr("counter") == 0
    assert cache.get_many(["key", "missing"]) == {"key": "value"}
    assert cache.has_key("key")
    assert cache.touch("key", 60)
    cache.set_many({"a": 1, "b": 2})
    cache.delete_many(["a"])
    assert cache.get_or_set("b", 3) == 2
    assert cache.delete("key")
    assert cache.get("key") is None
    cache.clear()


def test_a_missing_key_still_refuses_incr_as_with_redis():
    cache = _cache(UNREACHABLE_REDIS)

    with pytest.raises(ValueError):
        cache.incr("never-set")


def test_after_one_connection_error_redis_is_left_alone_for_a_few_seconds():
    cache = _cache(UNREACHABLE_REDIS)

    cache.get("anything")

    assert cache.is_degraded()
    assert not cache.is_reachable()


def test_every_thread_of_the_process_degrades_together():
    # Django makes one cache object per thread: the first to meet the error spares the others.
    first, second = _cache(UNREACHABLE_REDIS), _cache(UNREACHABLE_REDIS)

    first.set("shared", "yes")

    assert second.is_degraded()
    assert second.get("shared") == "yes"


def test_redis_is_tried_again_once_the_fallback_time_is_over(monkeypatch):
    cache = _cache(UNREACHABLE_REDIS)
    cache.get("anything")
    monkeypatch.setitem(shared_cache._unreachable_until, UNREACHABLE_REDIS, 0.0)

    assert not cache.is_degraded()
    assert not cache.is_reachable()  # tried, refused again
    assert cache.is_degraded()


def test_the_timeouts_are_short_unless_configured():
    options = _cache(UNREACHABLE_REDIS)._options

    assert options["socket_connect_timeout"] == shared_cache.SOCKET_CONNECT_TIMEOUT_SECONDS
    assert options["socket_timeout"] == shared_cache.SOCKET_TIMEOUT_SECONDS


def test_with_redis_reachable_it_is_redis_that_answers():
    cache = _cache(REACHABLE_REDIS)

    cache.set("key", "value", 30)

    assert cache.is_reachable()
    assert not cache.is_degraded()
    assert cache._fallback.get("key") is None
    assert cache.get("key") == "value"
    cache.delete("key")


@pytest.mark.django_db
def test_with_redis_unreachable_every_public_page_still_answers(
    redis_unreachable, open_petition, closed_petition
):
    from django.test import Client

    from petitions import emails
    from petitions.models import Petition
    from tests.archive.conftest import make_statement
    from tests.petitions.conftest import make_signature
    from tests.petitions.endorsement_helpers import make_endorsement
    from tests.public_pages import PUBLIC_PAGES

    Petition.objects.filter(pk=open_petition.pk).update(
        takes_endorsements=True, requires_proof_of_work=True
    )
    signature = make_signature(open_petition)
    endorsement = make_endorsement(open_petition, status="pending", confirmed_at=None)
    values = {
        "petition": open_petition.slug,
        "closed": closed_petition.slug,
        "statement": make_statement().slug,
        "confirm": emails.make_token(signature, emails.CONFIRM_SALT),
        "withdraw": emails.make_token(signature, emails.WITHDRAW_SALT),
        "endorsement": emails.make_token(endorsement, emails.ENDORSEMENT_CONFIRM_SALT),
    }
    client = Client(raise_request_exception=False)
    paths = [p.format(**values) for p in PUBLIC_PAGES]
    paths += [
        "/petitions/proof-of-work/challenge/",
        "/healthz",
        f"/petitions/{values['petition']}/count.json",
    ]

    statuses = {path: client.get(path).status_code for path in paths}

    assert {path: s for path, s in statuses.items() if s >= 500} == {}
