"""Security baseline: safe settings, deploy check, login throttling, CSRF, sessions."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from pmks.models import Keluarga
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="siks.probolinggokota.go.id",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off():
    result = _manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_debug_is_off_by_default():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_session_expires_and_language_is_indonesian():
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.LANGUAGE_CODE == "id"
    assert settings.TIME_ZONE == "Asia/Jakarta"


@pytest.mark.django_db
def test_login_is_throttled_per_username_and_ip(ref):
    f.make_user("korban", None, password="benar-sekali-123")
    client = Client()
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "korban", "password": "salah"})
        assert response.status_code == 200
    response = client.post(url, {"username": "korban", "password": "salah"})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()
    # Locked out even with the right password, from the same address.
    response = client.post(url, {"username": "korban", "password": "benar-sekali-123"})
    assert response.status_code == 429
    # Another user behind the same office IP can still log in.
    f.make_user("rekan", None, password="rekan-kerja-123")
    response = client.post(url, {"username": "rekan", "password": "rekan-kerja-123"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_wrong_password_message_is_indonesian(ref):
    f.make_user("pengguna", None, password="benar-sekali-123")
    response = Client().post(reverse("login"), {"username": "pengguna", "password": "salah"})
    page = response.content.decode()
    assert "Nama pengguna atau sandi salah" in page
    assert "nama pengguna nama pengguna" not in page


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused(city):
    client = Client(enforce_csrf_checks=True)
    client.force_login(city.tksk_kanigaran)
    before = Keluarga.objects.count()
    response = client.post(reverse("pmks:keluarga_create"), {"no_kk": "1"})
    assert response.status_code == 403
    assert Keluarga.objects.count() == before


@pytest.mark.django_db
def test_security_headers(city, client):
    client.force_login(city.tksk_kanigaran)
    response = client.get(reverse("pmks:dashboard"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_numbers_in_markup_are_not_grouped():
    """Ids in hidden inputs and years must render as 1234 / 2026, never 1.234 / 2.026."""
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("id"):
        assert Template("{{ n }}").render(Context({"n": 12345})) == "12345"
        assert Template("{% load humanize %}{{ n|intcomma }}").render(Context({"n": 1500000})) == "1.500.000"
