"""Accounts: lockout after failed logins, a proxy-aware client address, password reset."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from mmd_portal.security import client_ip

WRONG = {"username": "secretariat", "password": "not-the-password"}
RIGHT = {"username": "secretariat", "password": "secretariat-pass-123"}


def fail_logins(client, times, **headers):
    for _ in range(times):
        response = client.post(reverse("admin:login"), WRONG, **headers)
        assert response.status_code == 200  # the form again, with its error


@pytest.mark.django_db
def test_an_account_is_locked_after_repeated_failed_logins(client, secretariat_user, settings):
    fail_logins(client, settings.AXES_FAILURE_LIMIT - 1)
    assert client.post(reverse("admin:login"), WRONG).status_code == 429

    locked = client.post(reverse("admin:login"), RIGHT)

    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lock_holds_against_a_forged_forwarded_header(client, secretariat_user, settings):
    fail_logins(client, settings.AXES_FAILURE_LIMIT - 1)
    client.post(reverse("admin:login"), WRONG)

    response = client.post(reverse("admin:login"), RIGHT, HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert response.status_code == 429


@pytest.mark.django_db
def test_a_lockout_of_one_address_does_not_lock_the_same_username_from_another(
    client, secretariat_user, settings
):
    fail_logins(client, settings.AXES_FAILURE_LIMIT - 1, REMOTE_ADDR="198.51.100.7")
    assert client.post(reverse("admin:login"), WRONG, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert client.post(reverse("admin:login"), RIGHT, REMOTE_ADDR="198.51.100.7").status_code == 429

    from_the_office = client.post(reverse("admin:login"), RIGHT, REMOTE_ADDR="203.0.113.20")

    assert from_the_office.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_an_address_is_locked_after_the_lighter_per_address_limit(
    client, secretariat_user, settings
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    office = {"REMOTE_ADDR": "203.0.113.30"}
    # Many people behind one address mistype: each stays under the per-account limit ...
    for name in ("amina", "bruno", "chidi"):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            wrong = {"username": name, "password": "typo"}
            assert client.post(reverse("admin:login"), wrong, **office).status_code == 200
    assert client.post(reverse("admin:login"), RIGHT, **office).status_code == 302
    client.logout()

    # ... until the address as a whole reaches its own, higher limit.
    for _ in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 3 * (settings.AXES_FAILURE_LIMIT - 1)):
        client.post(reverse("admin:login"), {"username": "dede", "password": "x"}, **office)

    assert client.post(reverse("admin:login"), RIGHT, **office).status_code == 429
    assert client.post(reverse("admin:login"), RIGHT, REMOTE_ADDR="192.0.2.1").status_code == 302


@pytest.mark.django_db
def test_a_successful_login_before_the_limit_clears_the_count(client, secretariat_user, settings):
    fail_logins(client, settings.AXES_FAILURE_LIMIT - 1)
    assert client.post(reverse("admin:login"), RIGHT).status_code == 302
    client.logout()

    fail_logins(client, settings.AXES_FAILURE_LIMIT - 1)
    assert client.post(reverse("admin:login"), RIGHT).status_code == 302


def test_the_forwarded_address_is_ignored_unless_a_proxy_is_configured(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # what our proxy saw; 6.6.6.6 is client-made
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.2"  # fewer hops than proxies: do not trust it


@pytest.mark.django_db
def test_password_reset_by_email_sets_a_new_password(client, secretariat_user):
    secretariat_user.email = "secretariat@example.org"
    secretariat_user.save()

    form = client.get(reverse("password_reset"))
    assert form.status_code == 200
    assert "base.html" in [template.name for template in form.templates]
    sent = client.post(reverse("password_reset"), {"email": "secretariat@example.org"})
    assert sent.status_code == 302

    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/\S+/reset/\S+/)", mail.outbox[0].body).group(1)
    confirm = client.get(link, follow=True)
    assert confirm.status_code == 200
    weak = client.post(
        confirm.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert weak.status_code == 200  # refused: too short, too common, only digits
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": "Rabat-Khartoum-2026!", "new_password2": "Rabat-Khartoum-2026!"},
    )
    assert done.status_code == 302
    user = get_user_model().objects.get(pk=secretariat_user.pk)
    assert user.check_password("Rabat-Khartoum-2026!")


@pytest.mark.django_db
def test_the_admin_login_offers_the_password_reset(client):
    response = client.get(reverse("admin:login"))

    assert reverse("admin_password_reset") in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_sessions_expire_after_a_working_day(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60


@pytest.mark.django_db
def test_the_password_reset_page_is_translated(client):
    response = client.get("/fr/accounts/password_reset/")

    assert "Réinitialiser votre mot de passe" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "proxies,recorded", [(0, "10.0.0.2"), (1, "203.0.113.7")], ids=["no-proxy", "one-proxy"]
)
def test_failed_logins_are_counted_against_the_address_our_proxy_vouches_for(
    client, secretariat_user, settings, proxies, recorded
):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = proxies
    client.post(
        reverse("admin:login"),
        WRONG,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7",
    )

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [recorded]


@pytest.mark.django_db
def test_a_staff_session_expires_after_eight_hours(client, secretariat_user):
    client.post(reverse("admin:login"), RIGHT)

    assert client.session.get_expiry_age() == 8 * 60 * 60
    assert not client.session.get_expire_at_browser_close()


@pytest.mark.django_db
def test_reset_emails_past_the_per_account_limit_are_not_sent(client, secretariat_user, settings):
    secretariat_user.email = "secretariat@example.org"
    secretariat_user.save()
    settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT = 3

    answers = [
        client.post(
            reverse("password_reset"),
            {"email": "secretariat@example.org"},
            REMOTE_ADDR=f"192.0.2.{number}",
        )
        for number in range(1, 8)
    ]

    assert len(mail.outbox) == 3
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, reverse("password_reset_done"))
    }


@pytest.mark.django_db
def test_reset_requests_past_the_per_address_limit_send_nothing_and_look_the_same(
    client, django_user_model, settings
):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 4
    for number in range(8):
        django_user_model.objects.create_user(
            f"official{number}", f"official{number}@example.org", "pass-word-123!"
        )

    answers = [
        client.post(reverse("password_reset"), {"email": f"official{number}@example.org"})
        for number in range(8)
    ]
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert len(mail.outbox) == 4
    assert {answer["Location"] for answer in [*answers, unknown]} == {
        reverse("password_reset_done")
    }
