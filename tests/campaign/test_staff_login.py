import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from campaign import staff
from petitions.models import Endorsement, ExportRecord, Petition, Signature
from tests.conftest import log_in_with_second_factor
from tests.petitions.conftest import make_signature

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password-1989"


@pytest.fixture
def staff_member(django_user_model):
    return django_user_model.objects.create_user(
        "moderator", password=PASSWORD, is_staff=True, is_superuser=True
    )


@pytest.fixture
def device(staff_member) -> TOTPDevice:
    return TOTPDevice.objects.create(user=staff_member, name="phone", confirmed=True)


def _current_token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def _log_in(client, password: str = PASSWORD, otp_token: str = ""):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "moderator", "password": password, "otp_token": otp_token},
        secure=True,
    )


def test_a_password_alone_reaches_no_admin_page_when_2fa_is_required(
    client, settings, staff_member, device
):
    settings.STAFF_REQUIRE_2FA = True

    response = _log_in(client)

    assert response.status_code == 200
    assert client.get("/admin/", secure=True).status_code == 302
    assert client.get("/admin/auth/user/", secure=True).status_code == 302


def test_a_logged_in_staff_member_without_second_factor_is_sent_to_the_login(
    client, settings, staff_member
):
    settings.STAFF_REQUIRE_2FA = True
    client.force_login(staff_member)

    response = client.get("/admin/auth/user/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# The admin's own pages (export, invalidation, erasure, import, staff activity) from get_urls():
# each must ask for the second factor as the changelists do.
CUSTOM_ADMIN_PAGES = [
    "/admin/petitions/signature/export/",
    "/admin/petitions/petition/free-the-archive/export/",
    "/admin/petitions/signature/invalidate/",
    "/admin/petitions/signature/erase-person/",
    "/admin/petitions/endorsement/import/",
    "/admin/petitions/petition/staff-activity/",
]


@pytest.mark.parametrize("path", CUSTOM_ADMIN_PAGES)
def test_without_second_factor_no_custom_admin_page_opens_and_nothing_is_exported(
    client, settings, staff_member, open_petition, path
):
    settings.STAFF_REQUIRE_2FA = True
    make_signature(open_petition, status=Signature.Status.CONFIRMED)
    client.force_login(staff_member)

    page = client.get(path)
    download = client.get(path, {"download": "1"})

    for response in (page, download):
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert not ExportRecord.objects.exists()


def test_without_second_factor_confirmed_invalidation_erasure_and_import_change_nothing(
    client, settings, staff_member, open_petition
):
    settings.STAFF_REQUIRE_2FA = True
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    signature = make_signature(
        open_petition, status=Signature.Status.CONFIRMED, email="ann@spam.example"
    )
    client.force_login(staff_member)
    upload = SimpleUploadedFile(
        "organisations.txt", b"Imported Org | GB | https://imported.example\n"
    )

    responses = [
        client.post(
            "/admin/petitions/signature/invalidate/",
            {"email_domain": "spam.example", "confirm": "1"},
        ),
        client.post(
            "/admin/petitions/signature/erase-person/",
            {"email": "ann@spam.example", "confirm": "1"},
        ),
        client.post(
            "/admin/petitions/endorsement/import/",
            {"petition": open_petition.pk, "file": upload},
        ),
    ]

    assert [response.status_code for response in responses] == [302, 302, 302]
    assert all(r["Location"].startswith("/admin/login/") for r in responses)
    signature.refresh_from_db()
    assert (signature.status, signature.email) == (Signature.Status.CONFIRMED, "ann@spam.example")
    assert not Endorsement.objects.exists()


def test_password_and_current_token_open_the_admin(client, settings, staff_member, device):
    settings.STAFF_REQUIRE_2FA = True

    response = _log_in(client, otp_token=_current_token(device))

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/", secure=True).status_code == 200


def test_the_session_cookie_after_login_is_secure_and_http_only(
    client, settings, staff_member, device
):
    settings.STAFF_REQUIRE_2FA = True

    response = _log_in(client, otp_token=_current_token(device))

    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["sessionid"]["httponly"] is True


def test_a_wrong_token_is_refused(client, settings, staff_member, device):
    settings.STAFF_REQUIRE_2FA = True

    _log_in(client, otp_token="000000" if _current_token(device) != "000000" else "111111")

    assert client.get("/admin/", secure=True).status_code == 302


def test_without_2fa_required_a_password_opens_the_admin(client, settings, staff_member):
    settings.STAFF_REQUIRE_2FA = False

    response = _log_in(client)

    assert response.status_code == 302
    assert client.get("/admin/", secure=True).status_code == 200


def test_the_admin_client_fixture_carries_a_second_factor(admin_client, settings):
    settings.STAFF_REQUIRE_2FA = True

    assert admin_client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("failures", "login_status", "admin_status"),
    [(3, 429, 302), (2, 302, 200)],
    ids=["locked-at-the-limit", "not-locked-before-it"],
)
def test_axes_locks_the_account_after_the_configured_failures(
    client, settings, staff_member, device, failures, login_status, admin_status
):
    settings.STAFF_REQUIRE_2FA = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(failures):
        _log_in(client, password="wrong")

    response = _log_in(client, otp_token=_current_token(device))

    assert response.status_code == login_status
    assert client.get("/admin/", secure=True).status_code == admin_status


def test_axes_records_a_pseudonym_never_the_client_address(client, settings, staff_member):
    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 3
    client.post(
        "/admin/login/",
        {"username": "moderator", "password": "wrong"},
        REMOTE_ADDR="203.0.113.7",
    )

    attempt = AccessAttempt.objects.get()
    assert attempt.ip_address != "203.0.113.7"
    assert "203.0.113.7" not in attempt.get_data + attempt.post_data


def _at(monkeypatch, moment):
    monkeypatch.setattr(staff, "now", lambda: moment)


@pytest.mark.parametrize(
    ("idle_minutes", "expected_status"),
    [(29, 200), (31, 302)],
    ids=["activity-within-the-idle-limit-keeps-the-session", "idle-too-long-ends-it"],
)
def test_a_staff_session_ends_after_the_idle_limit(
    client, settings, staff_member, monkeypatch, idle_minutes, expected_status
):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    log_in_with_second_factor(client, staff_member)
    start = timezone.now()
    _at(monkeypatch, start)
    client.get("/admin/")

    _at(monkeypatch, start + timedelta(minutes=idle_minutes))
    response = client.get("/admin/")

    assert response.status_code == expected_status


def test_a_staff_session_ends_after_the_absolute_limit_even_when_active(
    client, settings, staff_member, monkeypatch
):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    settings.STAFF_SESSION_MAX_HOURS = 12
    log_in_with_second_factor(client, staff_member)
    start = timezone.now()
    for minutes in range(0, 12 * 60, 20):  # a request every 20 minutes for 12 hours
        _at(monkeypatch, start + timedelta(minutes=minutes))
        assert client.get("/admin/").status_code == 200

    _at(monkeypatch, start + timedelta(hours=12, minutes=1))
    response = client.get("/admin/")

    assert response.status_code == 302


def test_add_staff_totp_gives_a_staff_member_a_working_device(staff_member):
    out = io.StringIO()

    call_command("add_staff_totp", "moderator", stdout=out)

    device = TOTPDevice.objects.get(user=staff_member)
    assert device.confirmed
    assert "otpauth://totp/" in out.getvalue()
    assert device.verify_token(_current_token(device))


def test_add_staff_totp_writes_the_qr_code_as_svg(staff_member, tmp_path):
    call_command("add_staff_totp", "moderator", "--svg", tmp_path / "qr.svg", stdout=io.StringIO())

    assert (tmp_path / "qr.svg").read_text().lstrip().startswith("<?xml")


def test_add_staff_totp_refuses_someone_who_is_not_staff(django_user_model):
    django_user_model.objects.create_user("signer", password=PASSWORD)

    with pytest.raises(CommandError, match="not a staff member"):
        call_command("add_staff_totp", "signer", stdout=io.StringIO())


def _page_without_csrf_token(response) -> str:
    # The CSRF token is masked afresh on every page: the only part allowed to differ.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def _wrong_token(device: TOTPDevice) -> str:
    return "000000" if _current_token(device) != "000000" else "111111"


def test_a_right_password_with_a_wrong_code_answers_exactly_as_a_wrong_password(
    client, settings, staff_member, device
):
    # Finding 13: the page used to say "incorrect OTP token" only once the password was right.
    settings.STAFF_REQUIRE_2FA = True
    wrong_password = _log_in(client, password="not-the-password", otp_token=_wrong_token(device))

    right_password = _log_in(client, otp_token=_wrong_token(device))

    assert right_password.status_code == wrong_password.status_code == 200
    assert _page_without_csrf_token(right_password) == _page_without_csrf_token(wrong_password)
    assert "Please enter the correct username and password" in right_password.content.decode()
    assert PASSWORD not in right_password.content.decode()


def _another_members_device(django_user_model) -> TOTPDevice:
    other = django_user_model.objects.create_user("other", password="x" * 20, is_staff=True)
    return TOTPDevice.objects.create(user=other, name="other phone", confirmed=True)


def _throttled(device: TOTPDevice) -> TOTPDevice:
    device.throttling_failure_count = 10
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    return device


# Every way the second factor can fail after a right password.
SECOND_FACTOR_FAILURES = {
    "wrong code": lambda device, users: {"otp_token": _wrong_token(device)},
    "no code": lambda device, users: {"otp_token": ""},
    "challenge asked for": lambda device, users: {"otp_challenge": "1"},
    "another member's code": lambda device, users: {
        "otp_token": _current_token(_another_members_device(users)),
    },
    "device throttled": lambda device, users: {
        "otp_token": _current_token(_throttled(device)),
    },
}


@pytest.mark.parametrize("failure", SECOND_FACTOR_FAILURES)
def test_every_second_factor_failure_answers_as_a_wrong_password_and_counts_to_lockout(
    client, settings, staff_member, device, django_user_model, failure
):
    settings.STAFF_REQUIRE_2FA = True
    settings.AXES_FAILURE_LIMIT = 3
    failing_fields = SECOND_FACTOR_FAILURES[failure](device, django_user_model)
    fields = {"username": "moderator", **failing_fields}
    wrong_password = client.post(
        "/admin/login/?next=/admin/", {**fields, "password": "not-the-password"}, secure=True
    )

    answers = [
        client.post("/admin/login/?next=/admin/", {**fields, "password": PASSWORD}, secure=True)
        for _ in range(2)
    ]

    assert answers[0].status_code == wrong_password.status_code
    assert _page_without_csrf_token(answers[0]) == _page_without_csrf_token(wrong_password)
    # One wrong password and two wrong codes reach the limit of three, as three wrong passwords.
    assert answers[1].status_code == 429
    device.throttling_failure_count = 0
    device.save()
    assert _log_in(client, otp_token=_current_token(device)).status_code == 429


def test_a_member_with_two_devices_logs_in_with_either(client, settings, staff_member, device):
    settings.STAFF_REQUIRE_2FA = True
    second = TOTPDevice.objects.create(user=staff_member, name="new phone", confirmed=True)

    response = _log_in(client, otp_token=_current_token(second))

    assert response.status_code == 302
    assert client.get("/admin/", secure=True).status_code == 200
