import pytest
from django.urls import reverse

from petitions import abuse
from petitions.models import MAX_CONFIRMATION_MAILS, Signature

from .conftest import VALID_SIGNER, make_signature

pytestmark = pytest.mark.django_db


def _sign(client, petition, capture, **overrides):
    with capture(execute=True):
        return client.post(
            reverse("petitions:sign", kwargs={"slug": petition.slug}),
            {**VALID_SIGNER, **overrides},
        )


def test_a_new_signer_gets_a_pending_signature_and_one_mail(
    client, open_petition, mailoutbox, django_capture_on_commit_callbacks
):
    response = _sign(client, open_petition, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == f"/petitions/{open_petition.slug}/check-your-email/"
    signature = Signature.objects.get()
    assert (signature.full_name, signature.email, signature.email_key) == (
        "Ann Example",
        "ann@example.org",
        "ann@example.org",
    )
    assert signature.status == Signature.Status.PENDING
    assert signature.confirmation_mails_sent == 1
    assert [m.to for m in mailoutbox] == [["ann@example.org"]]


def test_consents_are_unticked_unless_the_signer_ticks_them(
    client, open_petition, django_capture_on_commit_callbacks
):
    _sign(client, open_petition, django_capture_on_commit_callbacks)

    signature = Signature.objects.get()
    assert not signature.show_name_publicly
    assert not signature.wants_updates
    assert signature.consented_at is None


def test_a_ticked_consent_is_stored_with_its_time_and_wording_version(
    client, open_petition, django_capture_on_commit_callbacks
):
    _sign(client, open_petition, django_capture_on_commit_callbacks, show_name_publicly="on")

    signature = Signature.objects.get()
    assert signature.show_name_publicly
    assert not signature.wants_updates
    assert signature.consented_at is not None
    assert signature.consent_version


@pytest.mark.parametrize(
    "consents",
    [{}, {"show_name_publicly": "on"}, {"wants_updates": "on"}],
    ids=["no-consent", "name-shown", "wants-updates"],
)
def test_a_signature_stores_the_privacy_notice_version_the_signer_was_shown(
    client, open_petition, settings, django_capture_on_commit_callbacks, consents
):
    # Every signer was shown the notice, consent or not: its version goes with every row.
    settings.PRIVACY_NOTICE_VERSION = "2031-06-04"

    _sign(client, open_petition, django_capture_on_commit_callbacks, **consents)

    assert Signature.objects.get().privacy_notice_version == "2031-06-04"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Ann@Example.org", " ann@example.org "),
        ("ann@example.org", "ANN@EXAMPLE.ORG"),
        ("a.n.n+x@gmail.com", "ann@googlemail.com"),
    ],
)
def test_duplicate_variants_make_one_signature(
    client, open_petition, django_capture_on_commit_callbacks, first, second
):
    _sign(client, open_petition, django_capture_on_commit_callbacks, email=first)
    _sign(client, open_petition, django_capture_on_commit_callbacks, email=second)

    assert Signature.objects.count() == 1


def test_a_duplicate_gets_byte_for_byte_the_same_response_as_a_first_signature(
    client, open_petition, django_capture_on_commit_callbacks
):
    first = _sign(client, open_petition, django_capture_on_commit_callbacks)
    confirmed = Signature.objects.get()
    confirmed.confirm()
    again = _sign(client, open_petition, django_capture_on_commit_callbacks)

    assert (again.status_code, again["Location"], again.content) == (
        first.status_code,
        first["Location"],
        first.content,
    )
    assert sorted(again.headers) == sorted(first.headers)


def test_a_pending_duplicate_gets_the_mail_again_but_only_a_few_times(
    client, open_petition, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(MAX_CONFIRMATION_MAILS + 3):
        _sign(client, open_petition, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == MAX_CONFIRMATION_MAILS
    assert Signature.objects.get().confirmation_mails_requested == MAX_CONFIRMATION_MAILS


def test_a_duplicate_does_not_overwrite_the_first_signers_details(
    client, open_petition, django_capture_on_commit_callbacks
):
    _sign(client, open_petition, django_capture_on_commit_callbacks)

    _sign(
        client,
        open_petition,
        django_capture_on_commit_callbacks,
        full_name="Someone Else",
        show_name_publicly="on",
    )

    signature = Signature.objects.get()
    assert signature.full_name == "Ann Example"
    assert not signature.show_name_publicly


def test_a_confirmed_duplicate_gets_no_confirmation_mail_and_stays_one_signature(
    client, open_petition, mailoutbox, django_capture_on_commit_callbacks
):
    # It gets the "already signed" mail instead (test_already_signed.py).
    make_signature(open_petition, email="ann@example.org", status=Signature.Status.CONFIRMED)

    _sign(client, open_petition, django_capture_on_commit_callbacks)

    assert [m.subject for m in mailoutbox] == ["You have already signed: Open the archives"]
    assert Signature.objects.count() == 1


def test_the_same_person_may_sign_two_petitions(
    client, open_petition, mailoutbox, django_capture_on_commit_callbacks
):
    second_petition = type(open_petition).objects.create(
        slug="second",
        status="open",
        title_en="Second",
        summary_en="s",
        text_en="t",
        target_en="x",
    )

    _sign(client, open_petition, django_capture_on_commit_callbacks)
    _sign(client, second_petition, django_capture_on_commit_callbacks)

    assert Signature.objects.filter(email_key="ann@example.org").count() == 2


def test_the_signers_language_is_the_pages_language(
    client, open_petition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/zh-hant/petitions/{open_petition.slug}/sign/", VALID_SIGNER)

    assert Signature.objects.get().language == "zh-hant"


def test_signing_a_closed_petition_is_refused_and_stores_nothing(
    client, closed_petition, mailoutbox, django_capture_on_commit_callbacks
):
    response = _sign(client, closed_petition, django_capture_on_commit_callbacks)

    assert response.status_code == 409
    assert "this petition is closed" in response.content.decode()
    assert not Signature.objects.exists()
    assert mailoutbox == []


def test_signing_a_petition_past_its_closing_date_is_refused(
    client, open_petition, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    open_petition.opens_at = timezone.now() - timedelta(days=2)
    open_petition.closes_at = timezone.now() - timedelta(days=1)
    open_petition.save()

    response = _sign(client, open_petition, django_capture_on_commit_callbacks)

    assert response.status_code == 409
    assert not Signature.objects.exists()


def test_signing_a_draft_is_a_404(client, draft_petition, django_capture_on_commit_callbacks):
    response = _sign(client, draft_petition, django_capture_on_commit_callbacks)

    assert response.status_code == 404
    assert not Signature.objects.exists()


def test_get_on_the_sign_address_goes_to_the_form(client, open_petition):
    response = client.get(reverse("petitions:sign", kwargs={"slug": open_petition.slug}))

    # A visit, not a signature: tests/petitions/test_visiting_form_addresses.py.
    assert response.status_code == 302
    assert response["Location"] == f"{open_petition.get_absolute_url()}#sign-form"
    assert not Signature.objects.exists()


def test_the_check_email_page_reveals_nothing_about_the_address(client, open_petition):
    response = client.get(reverse("petitions:check-email", kwargs={"slug": open_petition.slug}))

    assert response.status_code == 200
    assert "@" not in response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


@pytest.fixture
def lists_cached(db) -> None:
    """Staff's allow and block lists in the cache, as they are during any surge."""
    abuse.email_domain_is_blocked("warm@example.org")


def test_the_sign_request_costs_two_queries(
    client, open_petition, lists_cached, django_assert_num_queries
):
    # One to load the petition, one INSERT … ON CONFLICT … RETURNING that also counts the
    # client's recent signatures (the rate limit). The mail goes out after the commit, from the
    # task queue, and is not part of the request's cost.
    with django_assert_num_queries(2):
        response = client.post(
            reverse("petitions:sign", kwargs={"slug": open_petition.slug}), VALID_SIGNER
        )

    assert response.status_code == 302


def test_the_sign_request_with_the_inline_mail_job_costs_six_queries(
    client, open_petition, lists_cached, django_capture_on_commit_callbacks
):
    # With the immediate backend the mail job runs in the request: after the petition and the
    # upsert, it takes the signature under a row lock, records the send and finds no more
    # confirmation mails owed, nor "already signed" ones (its second queue).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with (
        CaptureQueriesContext(connection) as captured,
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(reverse("petitions:sign", kwargs={"slug": open_petition.slug}), VALID_SIGNER)

    # Each mail's transaction is a savepoint inside the test's own transaction.
    statements = [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    assert len(statements) == 6


def test_a_database_task_backend_queues_the_mail_instead_of_sending_it(
    client, open_petition, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    _sign(client, open_petition, django_capture_on_commit_callbacks)

    assert mailoutbox == []
    jobs = DBTaskResult.objects.filter(task_path__endswith="send_owed_confirmation_mails")
    assert jobs.count() == 1


def test_the_sign_form_carries_a_csrf_token_and_a_post_without_one_is_refused(open_petition):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)

    page = browser.get(reverse("petitions:petition-detail", kwargs={"slug": open_petition.slug}))
    refused = Client(enforce_csrf_checks=True).post(
        reverse("petitions:sign", kwargs={"slug": open_petition.slug}), VALID_SIGNER
    )

    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert refused.status_code == 403
    assert not Signature.objects.exists()


def test_with_the_database_task_backend_the_sign_request_costs_three_queries(
    client,
    open_petition,
    lists_cached,
    settings,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    # Production: the petition, the upsert with the rate limit's count, and after the commit
    # one INSERT into the job queue.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    with django_assert_num_queries(3), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("petitions:sign", kwargs={"slug": open_petition.slug}), VALID_SIGNER)


def test_signing_a_petition_before_it_opens_is_refused(
    client, open_petition, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    open_petition.opens_at = timezone.now() + timedelta(days=1)
    open_petition.save()

    response = _sign(client, open_petition, django_capture_on_commit_callbacks)

    assert response.status_code == 409
    assert not Signature.objects.exists()


# An address in each state a signature can be in, and "new": none.
ADDRESS_STATES = [None, *Signature.Status.values]


@pytest.mark.parametrize("state", ADDRESS_STATES, ids=[str(s) for s in ADDRESS_STATES])
def test_the_sign_request_queues_the_same_jobs_whatever_the_address_has_done(
    client, open_petition, settings, state, django_capture_on_commit_callbacks
):
    # What a request does, not only what it answers, must not tell whether an address has
    # signed: the job decides who is owed a mail, the request queues it in every case.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import task_backends

    if state is not None:
        signature = make_signature(open_petition, email="ann@example.org", status=state)
        if state == Signature.Status.WITHDRAWN:
            signature.withdraw()

    _sign(client, open_petition, django_capture_on_commit_callbacks)

    queued = [result.task.name for result in task_backends["default"].results]
    assert queued == ["send_owed_confirmation_mails"]


@pytest.mark.parametrize("state", ADDRESS_STATES, ids=[str(s) for s in ADDRESS_STATES])
def test_the_sign_request_runs_the_same_queries_whatever_the_address_has_done(
    client,
    open_petition,
    lists_cached,
    settings,
    state,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    # Production (database backend): the petition, the upsert, the job, for every address.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    if state is not None:
        signature = make_signature(open_petition, email="ann@example.org", status=state)
        if state == Signature.Status.WITHDRAWN:
            signature.withdraw()

    with django_assert_num_queries(3), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("petitions:sign", kwargs={"slug": open_petition.slug}), VALID_SIGNER
        )

    assert response.status_code == 302
