"""Security headers on every page, in development and with the production settings."""

import re

import pytest
from django.urls import reverse

from .urlwalk import every_reachable_path

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)

PRODUCTION = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


def assert_security_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    script_src = next(part for part in policy.split(";") if "script-src" in part)
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src


def public_paths(client):
    admin_prefix = "/" + reverse("admin:index").strip("/")
    return [path for path in every_reachable_path(client) if not path.startswith(admin_prefix)]


@pytest.mark.django_db
def test_home_page_and_admin_login_send_the_security_headers(client):
    for url in [reverse("home"), reverse("admin:login")]:
        response = client.get(url)

        assert response.status_code == 200, url
        assert_security_headers(response)


@pytest.mark.django_db
def test_every_page_sends_the_headers_and_has_no_inline_script(client, portal_records):
    paths = every_reachable_path(client)
    assert reverse("home") in paths and reverse("admin:login") in paths
    assert portal_records["dialogue"].get_absolute_url() in paths  # detail pages, via the sitemap

    for path in paths:
        response = client.get(path)

        assert response.status_code < 500, path
        assert_security_headers(response)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            html = response.content.decode()
            assert not INLINE_SCRIPT.search(html), f"{path}: inline <script> without a nonce"


@pytest.mark.django_db
def test_public_pages_use_no_inline_styles_the_policy_would_block(client, portal_records):
    for path in public_paths(client):
        response = client.get(path)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            assert not INLINE_STYLE.search(response.content.decode()), path


@pytest.mark.django_db
def test_production_redirects_http_to_https_and_sends_hsts(client, settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)

    plain = client.get(reverse("home"))
    behind_proxy = client.get(reverse("home"), headers={"X-Forwarded-Proto": "https"})

    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert behind_proxy.status_code == 200
    assert behind_proxy["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert_security_headers(behind_proxy)


@pytest.mark.django_db
def test_production_cookies_are_secure_and_http_only(client, settings, secretariat_user):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)

    login = client.get(reverse("admin:login"), secure=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "secretariat", "password": "secretariat-pass-123"},
        secure=True,
    )

    assert response.status_code == 302
    csrf_cookie = login.cookies["csrftoken"]
    session_cookie = response.cookies["sessionid"]
    for cookie in (csrf_cookie, session_cookie):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
    assert session_cookie["max-age"] == settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_the_admin_lives_at_the_configured_path(settings):
    assert reverse("admin:index") == "/" + settings.ADMIN_PATH
