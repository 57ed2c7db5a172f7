"""Settings come from the environment (12-factor).

Laptop defaults need no services: SQLite under var/ and Celery's filesystem broker.
Production sets DATABASE_URL (PostgreSQL) and REDIS_URL / CELERY_BROKER_URL (Redis).
"""
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("STS_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None
# A laptop's local settings, written by `make run` / `make test` (DJANGO_DEBUG=1, mail to var/mail/):
# `manage.py ...` works as the README says. The environment wins over it; production has no such file
# and so still refuses to start without DJANGO_SECRET_KEY.
if (VAR_DIR / "local.env").exists():
    environ.Env.read_env(VAR_DIR / "local.env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# No fallback key outside debug: a production start without DJANGO_SECRET_KEY refuses to run.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is not set. Set it (50+ random characters) in the environment; "
                                   "only DJANGO_DEBUG=1 (a laptop) runs without one.")
    SECRET_KEY = "debug-only-insecure-key-for-a-laptop-never-in-production-0123456789"
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "sts",
    "sts.accounts",
    "core_tables",
    "transcripts",
    "uploads",
    "certification",
    "harvests",
    "yearend",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "reference",
    "demo",  # tooling: seed_demo, demo_logins, generate_batch (no models; product code never imports it)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sts.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "sts.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sts.accounts.middleware.PasswordChangeRequiredMiddleware",
    "sts.accounts.middleware.SelectedBssyMiddleware",
    "api.middleware.ApiCallLogMiddleware",
]

ROOT_URLCONF = "sts.urls"
WSGI_APPLICATION = "sts.wsgi.application"

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
                "sts.accounts.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'sts.sqlite3'}"),
}
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # Keep each process's connection between requests: a new one per request cost PostgreSQL a
    # backend process and Django its set-up on every page and API call (docs/benchmarks.md).
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("STS_DB_CONN_MAX_AGE", default=300))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several processes (web + the worker's pool) share the file. WAL: readers never wait for the
    # writer. IMMEDIATE: a transaction takes the write lock when it begins, so two writers queue
    # on the busy timeout instead of deadlocking on a lock upgrade ("database is locked" at once).
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 60, "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["sts.accounts.backends.LockoutBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "sts.accounts.passwords.LengthValidator"},
    {"NAME": "sts.accounts.passwords.ComplexityValidator"},
    {"NAME": "sts.accounts.passwords.HistoryValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "sts.accounts.passwords.PredictableValidator"},
]
PASSWORD_HASHERS = env.list(
    "STS_PASSWORD_HASHERS",
    default=["django.contrib.auth.hashers.PBKDF2PasswordHasher"],
)
STS_MAX_FAILED_SIGNINS = 5
STS_MAX_DENIALS = 5  # refused requests (403) in one session before the user ID is locked
STS_PASSWORD_HISTORY = 5
SESSION_COOKIE_AGE = env.int("STS_SESSION_SECONDS", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx takes the token from the page (hx-headers), never from the cookie
# HTTPS in production: cookies only over TLS, HSTS, redirect to https. `make run` is DEBUG (http).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("STS_SECURE_COOKIES", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("STS_SSL_REDIRECT", default=not DEBUG)
STS_BEHIND_PROXY = env.bool("STS_BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if STS_BEHIND_PROXY else None
SECURE_HSTS_SECONDS = env.int("STS_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Scripts and styles from static/ only (no inline script, no eval); inline style attributes are
# allowed (progress bars set their width).
STS_CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; "
                               "form-action 'self'; frame-ancestors 'none'")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/Chicago"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# WhiteNoise serves static/ itself (no collectstatic needed on a laptop; gunicorn in production).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on a missing root
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded batch files and credentials live outside the web root and are served only by views
# that check permissions.
PRIVATE_MEDIA_ROOT = Path(env.str("STS_PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The cache carries live task progress between workers and web processes (pretix's pattern).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
          if (REDIS_URL := env.str("REDIS_URL", default="")) else
          {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache")}}

# Celery: Redis in production; a filesystem broker on a laptop so `make run` needs no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost//")
# Lost workers (docs/decisions.md, "Killed workers"). Tasks are acknowledged late, so Redis hands
# a killed worker's message out again after the visibility timeout. Jobs do not wait for that: a
# running job's lease going quiet for STS_JOB_STALE_SECONDS makes the reaper (beat, every 60 s,
# and every look at a page that shows jobs) queue it again, so a lost job is retried within about
# 3 minutes, on the filesystem broker (which loses a killed worker's message) as on Redis. The
# visibility timeout only has to outlast normal tasks; a message handed out twice meets the claim.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("STS_BROKER_VISIBILITY_TIMEOUT", default=900)}
# The one job lifecycle (sts/jobs.py): a running job whose lease (renewed every 5 s) is older than
# this is taken over; a queued one nobody claimed in this time is sent again.
STS_JOB_STALE_SECONDS = env.int("STS_JOB_STALE_SECONDS", default=120)
STS_JOB_MAX_ATTEMPTS = env.int("STS_JOB_MAX_ATTEMPTS", default=3)
# While no worker has been seen, a queued job is sent again this many times, then failed.
STS_JOB_MAX_RESENDS = env.int("STS_JOB_MAX_RESENDS", default=15)
STS_JOB_TRANSIENT_TRIES = env.int("STS_JOB_TRANSIENT_TRIES", default=6)
# STSQ05 recalculation: students per Celery task (bounded, so more workers finish it sooner).
STS_RECALC_CHUNK = env.int("STS_RECALC_CHUNK", default=200)
CELERY_BEAT_SCHEDULE = {
    "reap-jobs": {"task": "sts.tasks.reap_jobs", "schedule": env.float("STS_REAP_EVERY_SECONDS", default=60.0)},
    "sweep-export-files": {"task": "sts.tasks.sweep_export_files", "schedule": 600.0},
    "sweep-transcript-files": {"task": "certification.tasks.sweep_transcript_files", "schedule": 600.0},
    "take-due-snapshots": {"task": "harvests.tasks.take_due_snapshots", "schedule": 60.0},
    "api-callbacks": {"task": "api.tasks.send_due_callbacks", "schedule": 60.0},
}
# The weekly LOSFA snapshot (guide, Appendix J: "OSFA will request files every Tuesday"): its
# weekday (0 Monday .. 6 Sunday) and the hour (Louisiana time) from which beat takes it.
STS_LOSFA_WEEKDAY = env.int("STS_LOSFA_WEEKDAY", default=1)
STS_LOSFA_HOUR = env.int("STS_LOSFA_HOUR", default=6)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),  # must equal data_folder_in (kombu)
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),  # kombu's default is ./control
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None  # task state lives in our own models (Upload.status, progress)
CELERY_TASK_ACKS_LATE = True  # a killed worker's task is redelivered, not lost
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50  # PDF rendering grows memory; recycle processes
CELERY_TASK_ALWAYS_EAGER = env.bool("STS_CELERY_EAGER", default=False)

# Upload limits (uploads app). The size limit holds while the body streams in (uploads/handlers.py).
FILE_UPLOAD_HANDLERS = [
    "uploads.handlers.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_TEMP_DIR = None  # the system's; never the repository
STS_UPLOAD_MAX_BYTES = env.int("STS_UPLOAD_MAX_BYTES", default=200 * 1024 * 1024)
STS_UPLOAD_MAX_UNZIPPED_BYTES = env.int("STS_UPLOAD_MAX_UNZIPPED_BYTES", default=1024 * 1024 * 1024)
STS_CREDENTIAL_MAX_BYTES = env.int("STS_CREDENTIAL_MAX_BYTES", default=10 * 1024 * 1024)  # Jumpstart PDFs
# Exports (downloads) are kept this long, then their files and rows are purged (My downloads).
STS_EXPORT_KEEP_HOURS = env.int("STS_EXPORT_KEEP_HOURS", default=24)
# Help -> "a link to the most current user guide" (the guide's Help Menu): LDOE publishes it in its
# data management library; an installation points this at its own copy.
STS_USER_GUIDE_URL = env.str("STS_USER_GUIDE_URL",
                             default="https://www.louisianabelieves.com/resources/library/data-management")
# The Core Progress Report comes in files of this many students (the guide's groups of 100).
STS_REPORT_STUDENTS_PER_FILE = env.int("STS_REPORT_STUDENTS_PER_FILE", default=100)
STS_EXCESSIVE_ERROR_SHARE = env.float("STS_EXCESSIVE_ERROR_SHARE", default=0.5)
# ...judged only on files of at least this many students (a small correction file is never refused whole).
STS_EXCESSIVE_MIN_STUDENTS = env.int("STS_EXCESSIVE_MIN_STUDENTS", default=20)

# Official transcripts (certification app): the PAdES signing certificate and key (PEM). `make run`
# creates a self-signed demo pair at these paths when both are missing; production points at the
# state's pair and may add its CA chain (comma-separated PEM files) as trust roots for validation.
STS_SIGNING_CERT = env.str("STS_SIGNING_CERT", default=str(VAR_DIR / "signing" / "demo-cert.pem"))
STS_SIGNING_KEY = env.str("STS_SIGNING_KEY", default=str(VAR_DIR / "signing" / "demo-key.pem"))
STS_SIGNING_KEY_PASSPHRASE = env.str("STS_SIGNING_KEY_PASSPHRASE", default="")
STS_SIGNING_TRUST_ROOTS = env.list("STS_SIGNING_TRUST_ROOTS", default=[])
# The public address printed on official documents for the verification page. Required outside
# debug: a transcript must never print a server's own (development) address.
STS_PUBLIC_URL = env.str("STS_PUBLIC_URL", default="")
if not STS_PUBLIC_URL:
    if not DEBUG:
        raise ImproperlyConfigured("STS_PUBLIC_URL is not set. Set it to the public address of this installation "
                                   "(https://sts.example.gov): official transcripts print it for verification.")
    STS_PUBLIC_URL = "http://127.0.0.1:8000"
STS_OTS_CHUNK = env.int("STS_OTS_CHUNK", default=25)  # graduates per OTS worker task
STS_VERIFY_MAX_BYTES = env.int("STS_VERIFY_MAX_BYTES", default=5 * 1024 * 1024)  # uploads to the verification page
STS_VERIFY_RATE = env.int("STS_VERIFY_RATE", default=30)  # verification look-ups per client IP per window
STS_VERIFY_WINDOW = env.int("STS_VERIFY_WINDOW", default=60)  # seconds of one fixed rate window

# Mail (self-service password reset): SMTP in production (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS); a laptop's var/local.env writes each message as a file under
# STS_EMAIL_FILE_PATH (var/mail/) instead.
if STS_EMAIL_FILE_PATH := env.str("STS_EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(BASE_DIR / STS_EMAIL_FILE_PATH)
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="sts-noreply@localhost")
PASSWORD_RESET_TIMEOUT = env.int("STS_PASSWORD_RESET_SECONDS", default=3600)  # a reset link lasts an hour

# Tests that need PostgreSQL/Redis/a worker skip without them, unless this is set (CI).
# The REST API for SIS vendors (/api/v1/, docs/api.md).
STS_API_RATE = env.str("STS_API_RATE", default="600/min")  # requests per token
STS_API_TOKEN_DAYS = env.int("STS_API_TOKEN_DAYS", default=90)  # a new token's default lifetime
STS_API_CALLBACK_ALLOW_HTTP = env.bool("STS_API_CALLBACK_ALLOW_HTTP", default=False)  # tests' local server only
STS_API_CALLBACK_TRIES = env.int("STS_API_CALLBACK_TRIES", default=6)
STS_API_CALLBACK_BACKOFF = env.int("STS_API_CALLBACK_BACKOFF", default=30)  # seconds, doubled each try
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": STS_API_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "STS API",
    "DESCRIPTION": "The Student Transcript System's REST API for SIS vendors: submit batch files, follow them, "
                   "read their errors, students and core progress. A walk-through is in docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR", "SWAGGER_UI_FAVICON_HREF": "SIDECAR", "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

STS_REQUIRE_SERVICES = env.bool("STS_REQUIRE_SERVICES", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("STS_LOG_LEVEL", default="WARNING")},
}
