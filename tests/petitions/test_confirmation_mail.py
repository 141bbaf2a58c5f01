import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from petitions.models import Signature
from petitions.tasks import send_owed_confirmation_mails

from .conftest import VALID_SIGNER, links_in, make_signature

pytestmark = pytest.mark.django_db


def _sign(client, prefix, petition, capture):
    with capture(execute=True):
        client.post(f"{prefix}/petitions/{petition.slug}/sign/", VALID_SIGNER)


def test_the_mail_has_absolute_links_from_site_url_never_the_request_host(
    client, open_petition, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://petition.example.org"
    settings.ALLOWED_HOSTS = ["evil.example.com", "testserver"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("petitions:sign", kwargs={"slug": open_petition.slug}),
            VALID_SIGNER,
            HTTP_HOST="evil.example.com",
        )

    (message,) = mailoutbox
    links = links_in(message)
    assert links["confirm"].startswith("https://petition.example.org/petitions/confirm/")
    assert links["withdraw"].startswith("https://petition.example.org/petitions/withdraw/")
    assert "evil.example.com" not in message.body
    assert "evil.example.com" not in message.alternatives[0][0]


def test_the_mail_is_plain_text_and_html(
    client, open_petition, mailoutbox, django_capture_on_commit_callbacks
):
    _sign(client, "", open_petition, django_capture_on_commit_callbacks)

    (message,) = mailoutbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert links_in(message)["confirm"] in html
    assert message.subject == "Please confirm your signature: Open the archives"
    assert "Hello Ann Example," in message.body


def test_the_mail_carries_no_personal_data_in_its_links(
    client, open_petition, mailoutbox, django_capture_on_commit_callbacks
):
    _sign(client, "", open_petition, django_capture_on_commit_callbacks)

    links = links_in(mailoutbox[0])
    for url in links.values():
        assert "ann" not in url.lower()
        assert "example.org/petitions" not in url.split("//", 1)[1].split("/", 1)[1]


def test_a_chinese_signer_gets_the_mail_in_chinese_with_chinese_links(
    client, open_petition, mailoutbox, django_capture_on_commit_callbacks
):
    _sign(client, "/zh-hant", open_petition, django_capture_on_commit_callbacks)

    (message,) = mailoutbox
    assert "開放檔案" in message.subject
    assert "/zh-hant/petitions/confirm/" in links_in(message)["confirm"]


def test_a_name_with_markup_is_escaped_in_the_html_mail_and_plain_in_the_text(
    client, open_petition, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("petitions:sign", kwargs={"slug": open_petition.slug}),
            {**VALID_SIGNER, "full_name": "Ann <b>Bold</b> & Co"},
        )

    (message,) = mailoutbox
    assert "Hello Ann <b>Bold</b> & Co," in message.body
    assert "Ann &lt;b&gt;Bold&lt;/b&gt; &amp; Co" in message.alternatives[0][0]


def test_the_mail_job_sends_nothing_for_a_signature_withdrawn_meanwhile(open_petition, mailoutbox):
    signature = make_signature(open_petition, confirmation_mails_requested=1)
    signature.withdraw()

    result = send_owed_confirmation_mails.enqueue()

    assert result.return_value == 0
    assert mailoutbox == []


def test_the_mail_job_run_twice_sends_each_owed_mail_once(open_petition, mailoutbox):
    signature = make_signature(open_petition, confirmation_mails_requested=1)

    send_owed_confirmation_mails.enqueue()
    send_owed_confirmation_mails.enqueue()

    assert len(mailoutbox) == 1
    signature.refresh_from_db()
    assert signature.confirmation_mails_sent == 1
    assert signature.last_mailed_at is not None


def test_the_mail_job_sends_every_owed_mail_in_each_signers_language(open_petition, mailoutbox):
    english = make_signature(open_petition, confirmation_mails_requested=1)
    chinese = make_signature(open_petition, confirmation_mails_requested=1, language="zh-hans")
    make_signature(open_petition, confirmation_mails_requested=1, confirmation_mails_sent=1)
    make_signature(open_petition, status=Signature.Status.CONFIRMED)

    result = send_owed_confirmation_mails.enqueue()

    assert result.return_value == 2
    assert [message.to for message in mailoutbox] == [[english.email], [chinese.email]]
    assert "/zh-hans/petitions/confirm/" in links_in(mailoutbox[1])["confirm"]


def test_one_mail_answers_every_request_made_before_the_job_ran(open_petition, mailoutbox):
    # A signer who pressed the button three times before the mail went out gets one mail.
    signature = make_signature(open_petition, confirmation_mails_requested=3)

    send_owed_confirmation_mails.enqueue()

    assert len(mailoutbox) == 1
    signature.refresh_from_db()
    assert signature.confirmation_mails_sent == 3


def test_a_failed_send_leaves_the_mail_owed(open_petition, mailoutbox, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    signature = make_signature(open_petition, confirmation_mails_requested=1)

    result = send_owed_confirmation_mails.enqueue()

    assert result.status == "FAILED"
    signature.refresh_from_db()
    assert signature.confirmation_mails_sent == 0
    assert Signature.objects.awaiting_mail().filter(pk=signature.pk).exists()


def test_the_queue_command_sends_owed_mail_once_the_server_is_back(open_petition, mailoutbox):
    long_ago = timezone.now() - timedelta(hours=1)
    owed = make_signature(open_petition, confirmation_mails_requested=1, created_at=long_ago)
    recent = make_signature(open_petition, confirmation_mails_requested=1)
    make_signature(
        open_petition,
        confirmation_mails_requested=1,
        confirmation_mails_sent=1,
        created_at=long_ago,
    )
    out = io.StringIO()

    call_command("queue_confirmation_mails", stdout=out)

    # The overdue mail queues the job; the job sends every mail owed, the recent one too.
    assert [m.to for m in mailoutbox] == [[owed.email], [recent.email]]
    assert out.getvalue() == "1 confirmation mail(s) queued.\n"


def test_the_queue_command_queues_nothing_while_the_owed_mail_is_recent(open_petition, mailoutbox):
    make_signature(open_petition, confirmation_mails_requested=1)
    out = io.StringIO()

    call_command("queue_confirmation_mails", stdout=out)

    assert mailoutbox == []
    assert out.getvalue() == "0 confirmation mail(s) queued.\n"


def test_the_queue_command_dry_run_sends_nothing(open_petition, mailoutbox):
    make_signature(
        open_petition,
        confirmation_mails_requested=1,
        created_at=timezone.now() - timedelta(hours=1),
    )
    out = io.StringIO()

    call_command("queue_confirmation_mails", "--dry-run", stdout=out)

    assert mailoutbox == []
    assert out.getvalue() == "1 confirmation mail(s) would be queued.\n"
