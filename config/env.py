"""Every environment variable the project reads, with its type and a safe default.

Settings read the environment only through this module, so the list below is the whole
configuration surface (README "Environment variables" mirrors it).
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on", "ya"}
_FALSE = {"0", "false", "no", "off", "tidak", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# -- The variables ---------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
DATABASE_URL = env_str("DATABASE_URL")
# Behind a TLS-terminating proxy, production redirects http->https and marks cookies secure.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
SESSION_HOURS = env_int("DJANGO_SESSION_HOURS", 8)
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 30)
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo12345")
AGENDA_HARI_TANPA_KUNJUNGAN = env_int("AGENDA_HARI_TANPA_KUNJUNGAN", 90)
IMPOR_MAKS_MB = env_int("IMPOR_MAKS_MB", 50)
EKSPOR_LATAR_BARIS = env_int("EKSPOR_LATAR_BARIS", 20000)
BERKAS_SIMPAN_HARI = env_int("BERKAS_SIMPAN_HARI", 30)  # days uploads and export files are kept
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")  # "database" in production, with a worker
# Uploaded proof photos. Not served by URL: views check the area before streaming a file.
MEDIA_ROOT = env_str("MEDIA_ROOT", "")
# Notifications by e-mail (optional per user). Console by default: mail is printed, not sent.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SIKS TKSK <siks@localhost>")
# The address users reach the application at (links in e-mail), e.g. https://siks.probolinggokota.go.id
SITE_URL = env_str("SITE_URL").rstrip("/")
# Follow-ups announced this many days before they fall due (manage.py kirim_pengingat, daily).
PENGINGAT_HARI = env_int("PENGINGAT_HARI", 3)
# Citizens' public pages (warga): throttles, the human check's lifetime, the default deadline.
WARGA_CEK_PER_JAM_IP = env_int("WARGA_CEK_PER_JAM_IP", 10)
WARGA_PER_HARI_NIK = env_int("WARGA_PER_HARI_NIK", 5)
WARGA_ADUAN_PER_HARI_IP = env_int("WARGA_ADUAN_PER_HARI_IP", 3)
WARGA_TIKET_PER_JAM_IP = env_int("WARGA_TIKET_PER_JAM_IP", 30)
WARGA_SOAL_MENIT = env_int("WARGA_SOAL_MENIT", 30)
WARGA_TENGGAT_HARI = env_int("WARGA_TENGGAT_HARI", 14)
