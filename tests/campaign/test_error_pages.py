import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.campaign.error_urls")]

SECRET_BITS = ["internal reason", "Traceback", "SECRET_KEY", "settings", "DATABASES"]


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/no-such-page/", 404, "Page not found"),
        ("/fail/403", 403, "Access denied"),
        ("/fail/400", 400, "Bad request"),
        ("/fail/500", 500, "Something went wrong"),
    ],
)
def test_error_pages_explain_in_plain_words_and_leak_nothing(client, path, status, heading):
    client.raise_request_exception = False

    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in html
    assert not [bit for bit in SECRET_BITS if bit in html]


def test_not_found_page_is_translated(client):
    response = client.get("/zh-hans/no-such-page/")

    assert response.status_code == 404
    assert '<html lang="zh-hans">' in response.content.decode()
