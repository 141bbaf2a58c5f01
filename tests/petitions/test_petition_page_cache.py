"""
The petition page comes from the cache during a surge (petitions/page_cache.py), yet each visitor
still gets a working sign form with a CSRF token of their own, in their language, and a count
at most PETITION_PAGE_CACHE_SECONDS old.
"""

import re
import time

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from petitions.models import Petition, Signature
from petitions.page_cache import cached_public_page
from petitions.views import PETITION_PAGE_CACHE_SECONDS

from .conftest import VALID_SIGNER

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _page_url(petition: Petition, language: str = "en") -> str:
    with translation.override(language):
        return reverse("petitions:petition-detail", kwargs={"slug": petition.slug})


def test_a_repeat_visit_runs_no_query_and_its_form_signs(open_petition, django_assert_num_queries):
    url = _page_url(open_petition)
    Client().get(url)  # the first visitor renders the page into the cache
    visitor = Client(enforce_csrf_checks=True)

    with django_assert_num_queries(0):
        page = visitor.get(url)

    token = TOKEN.search(page.content.decode()).group(1)
    signed = visitor.post(
        reverse("petitions:sign", kwargs={"slug": open_petition.slug}),
        {**VALID_SIGNER, "csrfmiddlewaretoken": token},
    )
    assert signed.status_code == 302
    assert Signature.objects.filter(petition=open_petition).count() == 1


def test_each_visitor_gets_a_token_and_cookie_of_their_own(open_petition):
    url = _page_url(open_petition)
    first, second = Client().get(url), Client().get(url)

    tokens = {TOKEN.search(response.content.decode()).group(1) for response in (first, second)}
    cookies = {response.cookies["csrftoken"].value for response in (first, second)}
    assert len(tokens) == 2
    assert len(cookies) == 2
    assert "\x00" not in second.content.decode()


def test_a_token_from_the_cache_is_refused_with_another_visitors_cookie(open_petition):
    url = _page_url(open_petition)
    Client().get(url)
    stranger = Client(enforce_csrf_checks=True)
    token = TOKEN.search(Client().get(url).content.decode()).group(1)
    stranger.get(url)  # the stranger's own cookie

    response = stranger.post(
        reverse("petitions:sign", kwargs={"slug": open_petition.slug}),
        {**VALID_SIGNER, "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_each_language_is_cached_separately(open_petition):
    open_petition.title_zh_hant = "開放檔案"
    open_petition.save()
    english = Client().get(_page_url(open_petition)).content.decode()
    chinese = Client().get(_page_url(open_petition, "zh-hant")).content.decode()
    chinese_again = Client().get(_page_url(open_petition, "zh-hant")).content.decode()

    assert "開放檔案" not in english
    assert "開放檔案" in chinese
    assert "開放檔案" in chinese_again


def test_the_count_is_at_most_the_cache_lifetime_old(open_petition, monkeypatch):
    url = _page_url(open_petition)
    assert "<strong data-count>0</strong>" in Client().get(url).content.decode()
    Petition.objects.filter(pk=open_petition.pk).update(signature_count=42)
    assert "<strong data-count>0</strong>" in Client().get(url).content.decode()

    later = time.time() + PETITION_PAGE_CACHE_SECONDS + 1
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: later)

    assert "<strong data-count>42</strong>" in Client().get(url).content.decode()
    assert PETITION_PAGE_CACHE_SECONDS <= 60


def test_a_query_string_does_not_bypass_the_cache(open_petition, django_assert_num_queries):
    url = _page_url(open_petition)
    Client().get(url)

    with django_assert_num_queries(0):
        response = Client().get(url + "?cache-buster=123")

    assert response.status_code == 200


def test_staff_with_a_session_get_a_fresh_page(open_petition, admin_client):
    url = _page_url(open_petition)
    Client().get(url)
    Petition.objects.filter(pk=open_petition.pk).update(signature_count=7)

    response = admin_client.get(url)

    assert "<strong data-count>7</strong>" in response.content.decode()


def test_drafts_and_missing_petitions_are_never_cached(draft_petition):
    response = Client().get(_page_url(draft_petition))

    assert response.status_code == 404
    assert caches["local"].get(f"public-page:en:{_page_url(draft_petition)}") is None


def _sign_url(petition: Petition) -> str:
    return reverse("petitions:sign", kwargs={"slug": petition.slug})


def test_during_a_surge_a_signature_costs_the_upsert_and_the_queued_mail(
    open_petition, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    Client().post(_sign_url(open_petition), VALID_SIGNER)  # the petition is now cached

    # The petition and staff's allow and block lists are now cached; the rate limit is counted
    # by the upsert itself.
    with django_assert_num_queries(2), django_capture_on_commit_callbacks(execute=True):
        response = Client().post(_sign_url(open_petition), {**VALID_SIGNER, "email": "b@x.org"})

    assert response.status_code == 302
    assert Signature.objects.get(email="b@x.org").status == Signature.Status.PENDING


def test_a_petition_staff_close_refuses_signatures_once_the_cache_lifetime_is_over(
    open_petition, monkeypatch
):
    Client().post(_sign_url(open_petition), VALID_SIGNER)
    Petition.objects.filter(pk=open_petition.pk).update(status=Petition.Status.CLOSED)
    later = time.time() + PETITION_PAGE_CACHE_SECONDS + 1
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: later)

    response = Client().post(_sign_url(open_petition), {**VALID_SIGNER, "email": "late@x.org"})

    assert response.status_code == 409
    assert Signature.objects.count() == 1


def _messages_cookie(text: str) -> str:
    """The cookie Django's messages framework sets for a message not yet shown."""
    storage = CookieStorage(RequestFactory().get("/"))
    return storage._encode([Message(messages.INFO, text)])


def test_a_pending_message_is_never_served_to_another_visitor(open_petition):
    url = _page_url(open_petition)
    first = Client()
    first.cookies["messages"] = _messages_cookie("Only for the first visitor")

    seen_by_first = first.get(url)
    seen_by_next = Client().get(url)

    assert "Only for the first visitor" in seen_by_first.content.decode()
    assert "Only for the first visitor" not in seen_by_next.content.decode()


def test_a_query_string_never_reaches_another_visitors_page(open_petition):
    url = _page_url(open_petition)

    Client().get(url + "?utm=POISONED")
    seen_by_next = Client().get(url)

    assert "POISONED" not in seen_by_next.content.decode()


def test_a_message_the_view_queues_keeps_the_page_out_of_the_cache(rf, open_petition):
    request = rf.get(_page_url(open_petition))
    request.COOKIES = {}
    request._messages = CookieStorage(request)
    messages.info(request, "Queued for this visitor")

    @cached_public_page(60)
    def view(request):
        return HttpResponse("a page")

    with translation.override("en"):
        view(request)

    assert caches["local"].get(f"public-page:en:{request.path}") is None


def test_a_head_request_is_served_from_the_cache(open_petition, django_assert_num_queries):
    url = _page_url(open_petition)
    Client().get(url)

    with django_assert_num_queries(0):
        response = Client().head(url)

    assert response.status_code == 200


@pytest.mark.parametrize("cookie", ["sessionid", "messages", "anything-of-the-visitors"])
def test_a_visitor_with_a_cookie_of_their_own_neither_reads_nor_fills_the_cache(
    open_petition, cookie
):
    url = _page_url(open_petition)
    Client().get(url)  # cached with the count 0
    Petition.objects.filter(pk=open_petition.pk).update(signature_count=7)
    visitor = Client()
    visitor.cookies[cookie] = "x"

    seen = visitor.get(url)

    assert "<strong data-count>7</strong>" in seen.content.decode()
