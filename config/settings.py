"""Single settings module, driven by config/env.py. Safe by default: DEBUG off, secrets required."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config import env

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env.DEBUG
SECRET_KEY = env.SECRET_KEY
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off (see README).")
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG-on"

ALLOWED_HOSTS = env.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = env.CSRF_TRUSTED_ORIGINS

INSTALLED_APPS = [
    # Project apps first so their templates and translations win.
    "inti",
    "wilayah",
    "accounts",
    "kabar",
    "pmks",
    "musyawarah",
    "bantuan",
    "tksk",
    "warga",
    "laporan",
    "impor",
    "demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login except those marked @login_not_required (the login page).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A notification is read once its page is opened, by any route.
    "kabar.middleware.DibacaSaatDibukaMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kabar.context_processors.kabar",
            ],
        },
    },
]

# -- Database: PostgreSQL when DATABASE_URL is set, else the embedded SQLite file ------------
if env.DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(env.DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(BASE_DIR / "db.sqlite3"),
            # Writers queue instead of failing with "database is locked" (SQLite ignores
            # select_for_update, so this is what serialises concurrent saves there).
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# -- Users, login, sessions -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "pmks:dashboard"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.SESSION_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # shared office computers

# django-axes: an office often shares one public IP, so lock the username+IP pair, not the IP.
AXES_FAILURE_LIMIT = env.LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=env.LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# -- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# Off on purpose: with it on, every number in markup is grouped, so ids in hidden inputs and
# years become "1.234" / "2.026". Money is shown with |intcomma (which groups with "." in the
# "id" locale); rupiah inputs are type=number, and imports parse "1.500.000" themselves.
USE_THOUSAND_SEPARATOR = False
LOCALE_PATHS = [BASE_DIR / "locale"]
# Day-first only: Django's "id" locale also accepts US-order dates (DOMAIN.md, library traps).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H.%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]

# -- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# -- Uploads (proof photos): private, streamed by bantuan.views.FotoView after a scope check ---
MEDIA_ROOT = env.MEDIA_ROOT or BASE_DIR / "media"
MEDIA_URL = "/media-tidak-dilayani/"  # never routed: there is no public URL for uploads
FILE_UPLOAD_PERMISSIONS = 0o640

# -- Forms --------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Reverting to an old version from the admin history would bypass every service rule
# (unfreeze an approved list, reopen an accepted report).
SIMPLE_HISTORY_REVERT_DISABLED = True

# -- Import / export: only explicitly permitted users, and no live formulas in exports ---------
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# Off on purpose: it strips only a leading "="; pmks.spreadsheet neutralises every formula start.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# -- Security headers ---------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Django admin and crispy markup carry inline style attributes.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.SECURE_SSL_REDIRECT
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if env.BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

DEMO_PASSWORD = env.DEMO_PASSWORD

# Background tasks (imports): the immediate backend runs them at once inside the request (the
# embedded default); TASKS_BACKEND=database queues them for `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if env.TASKS_BACKEND == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}
# Agenda: households with a verified PMKS record not visited for this many days are listed.
AGENDA_HARI_TANPA_KUNJUNGAN = env.AGENDA_HARI_TANPA_KUNJUNGAN
IMPOR_MAKS_MB = env.IMPOR_MAKS_MB  # larger people files are refused with a message
EKSPOR_LATAR_BARIS = env.EKSPOR_LATAR_BARIS  # reports with more rows are written in the background
# Uploaded people files (and their checks) and background export files hold personal data: the
# command hapus_berkas_lama deletes those older than this many days (run it daily).
BERKAS_SIMPAN_HARI = env.BERKAS_SIMPAN_HARI

# -- Notifications (kabar) -------------------------------------------------------------------
EMAIL_BACKEND = env.EMAIL_BACKEND
EMAIL_HOST = env.EMAIL_HOST
EMAIL_PORT = env.EMAIL_PORT
EMAIL_HOST_USER = env.EMAIL_HOST_USER
EMAIL_HOST_PASSWORD = env.EMAIL_HOST_PASSWORD
EMAIL_USE_TLS = env.EMAIL_USE_TLS
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL
SITE_URL = env.SITE_URL
PENGINGAT_HARI = env.PENGINGAT_HARI

# -- Citizens' public pages (warga) -------------------------------------------------------------
# Attempts counted in the database per hashed IP address / NIK; over the limit answers 429.
WARGA_CEK_PER_JAM_IP = env.WARGA_CEK_PER_JAM_IP  # recipient checks per IP per hour
WARGA_PER_HARI_NIK = env.WARGA_PER_HARI_NIK  # checks and proposals naming one NIK per day
WARGA_ADUAN_PER_HARI_IP = env.WARGA_ADUAN_PER_HARI_IP  # usul/sanggah filed per IP per day
WARGA_TIKET_PER_JAM_IP = env.WARGA_TIKET_PER_JAM_IP  # ticket look-ups per IP per hour
WARGA_SOAL_MENIT = env.WARGA_SOAL_MENIT  # minutes a human-check question stays valid
WARGA_TENGGAT_HARI = env.WARGA_TENGGAT_HARI  # deadline of an usul naming no programme
