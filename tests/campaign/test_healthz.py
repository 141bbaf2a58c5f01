import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up", "cache": "up"}
    assert "no-cache" in response["Cache-Control"]


# An in-memory SQLite test database cannot be made unreachable, so this runs on PostgreSQL.
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_when_the_database_does_not(client):
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="9")  # nothing listens there
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)

    assert response.status_code == 503
    assert response.json()["database"] == "down"


@pytest.mark.django_db
def test_healthz_reports_the_shared_cache_down_and_the_site_degraded_but_serving(
    client, redis_unreachable
):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "up", "cache": "down"}


@pytest.mark.django_db
def test_healthz_reports_a_reachable_redis_up(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "campaign.shared_cache.DegradingRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/12",
        },
    }

    response = client.get("/healthz")

    assert response.json() == {"status": "ok", "database": "up", "cache": "up"}
