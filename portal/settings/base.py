"""Settings shared by every environment; values come from the environment.

Environment variables (all optional in development):
  DATABASE_URL          e.g. postgres://postgres@127.0.0.1:5432/portal (default: SQLite file db.sqlite3)
  SECRET_KEY            required in production
  ALLOWED_HOSTS         comma separated
  DEBUG                 1/0
  CACHE_URL             locmem:// (default), redis://127.0.0.1:6379/1, dummy://
  SESSION_IDLE_MINUTES  idle timeout of a login session (default 30)
  SESSION_REFRESH_SECONDS  the idle timer is moved on at most this often (default 60)
  MEDIA_ROOT            uploaded files (default ./media)
  SMS_BACKEND, SMS_FILE_PATH, SMS_HTTP_*, SMS_*, ACCOUNTS_*, AXES_*, CAPTCHA_*: see "# --- accounts ---"
  INBOX_SMS_CATEGORIES  我的消息 categories that also text the owner: see "# --- inbox ---"
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def cache_from_url(url: str) -> dict:
    """Translate CACHE_URL into a CACHES entry using Django's built-in backends."""
    parsed = urlparse(url)
    if parsed.scheme in {"redis", "rediss"}:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
        }
    if parsed.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if parsed.scheme in {"", "locmem"}:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": parsed.netloc or "portal",
        }
    raise ValueError(f"Unsupported CACHE_URL scheme: {parsed.scheme}")


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    # project apps first so their templates and translations win
    "portal.core",
    "portal.reference",
    "portal.accounts",
    "portal.enterprises",
    "cms",
    "forms_engine",
    # wagtail
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_filters",
    # third party
    "captcha",
    "axes",
    "formtools",
    "crispy_forms",
    "crispy_bootstrap5",
    # django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
]

# Widgets render through the template engine, so project templates (templates/…/widgets/) work.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, except that a failed refresh of an unchanged session keeps the answer (issue 13.7)
    "portal.core.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # last, as django-axes documents: turns a lockout flagged during authenticate() into its page
    "axes.middleware.AxesMiddleware",
    # innermost: anonymous public pages served whole from the shared cache, before any view or SQL
    "cms.cache.PublicPageCacheMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: refuses locked-out credentials before any password check
    "axes.backends.AxesStandaloneBackend",
    # 登录名, or the USCC / ID number of a verified account (SPEC F-14)
    "portal.accounts.backends.LoginNameBackend",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite: no persistent connections; wait for locks instead of failing at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DATABASES["default"]["ATOMIC_REQUESTS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "locmem://"))}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("PASSWORD_MIN_LENGTH", "8"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Simplified Chinese by default, admin included.
LANGUAGE_CODE = "zh-hans"
# One language for every page outside the admin: a browser asking for English still gets Chinese
# (Django's own messages, "This field is required.", were English under Accept-Language: en).
# Staff may still choose English for the Wagtail admin in their account settings.
LANGUAGES = [("zh-hans", "简体中文")]
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# Static files: vendored assets under static/, served by whitenoise.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# files served at the site root by whitenoise (/favicon.ico), with its caching headers
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Sessions: end at browser close, and after SESSION_IDLE_MINUTES without a request.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# The idle timer: portal.core.middleware.SessionMiddleware saves the session with a new expiry when
# its last refresh is SESSION_REFRESH_SECONDS old (not on every request: a write per request cost a
# fifth of a 【暂存】), so the idle timeout holds to within that minute.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # the admin's JavaScript reads it

# Content Security Policy (django-csp 4). Public pages load nothing from other origins.
# The Wagtail admin relies on inline scripts and styles, so it gets its own relaxed policy
# through EXCLUDE_URL_PREFIXES plus the default frame-ancestors protection of X-Frame-Options.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

X_FRAME_OPTIONS = "SAMEORIGIN"

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "优质中小企业梯度培育平台"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {
    # The database backend picks PostgreSQL full-text search on PostgreSQL and FTS5 on SQLite.
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "wps", "ofd", "zip", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# No calls out of the admin: no gravatar (broken offline and inside China, leaks the e-mail hash)
# and no update check against wagtail.org; avatars are the uploaded ones or Wagtail's default.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

LOGIN_URL = "/accounts/login/"
# the enterprise centre's 企业申报页面 (the manual: “企业登录后进入企业申报页面”)
LOGIN_REDIRECT_URL = "/enterprise/home/"
LOGOUT_REDIRECT_URL = "/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # the immediate task backend logs every reference-index update at INFO
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}

# Portal
# Who may start filling in a form (the engine asks the host): a verified 法人 account (FAQ 2)
# with a complete enterprise profile (F-31).
FORMS_ENGINE_START_GUARD = "portal.core.engine_host.form_start_guard"
PORTAL_CACHE_SECONDS = int(os.environ.get("PORTAL_CACHE_SECONDS", "300"))
# Whole anonymous public pages in the shared cache (cms.cache; 0 turns it off), and the max-age a
# front proxy may keep them (it cannot see publishing, so keep it short).
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "600"))
PORTAL_PUBLIC_MAX_AGE = int(os.environ.get("PORTAL_PUBLIC_MAX_AGE", "60"))
# Whether `bootstrap_portal` creates the demo content and the demo users (public passwords):
# on in development and tests, off in production unless asked with --demo.
PORTAL_DEMO_DATA = env_bool("PORTAL_DEMO_DATA", False)

# --- forms_engine host contract (portal/core/engine_host.py) ---
# File answers of the wizard: private storage outside MEDIA_ROOT (no URL), downloaded only through
# /forms/s/<uuid>/files/<field>/ by the owner or staff whose province covers the enterprise.
STORAGES["forms_engine_uploads"] = {
    "BACKEND": "portal.core.storage.PrivateStorage"
}  # PRIVATE_MEDIA_ROOT/forms/…
FORMS_ENGINE_FILE_ACCESS = "portal.core.engine_host.can_read_submission_files"
FORMS_ENGINE_SUBMIT_HOOKS: dict[str, str | list[str]] = {}  # e.g. {"category:filing": "portal.filings…"}


# --- accounts ---
# Every number below can be changed through the environment variable of the same name.
from datetime import timedelta  # noqa: E402


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


# SMS, like Django's email backends (SPEC F-11, F-65):
#   portal.accounts.sms.backends.console.SmsBackend  prints to stdout
#   portal.accounts.sms.backends.file.SmsBackend     one file per message in SMS_FILE_PATH
#   portal.accounts.sms.backends.locmem.SmsBackend   portal.accounts.sms.outbox (tests)
#   portal.accounts.sms.backends.http.SmsBackend     JSON POST to SMS_HTTP_URL (production)
SMS_BACKEND = os.environ.get("SMS_BACKEND", "portal.accounts.sms.backends.console.SmsBackend")
SMS_FILE_PATH = Path(os.environ.get("SMS_FILE_PATH", BASE_DIR / "sms-outbox"))
SMS_HTTP_URL = os.environ.get("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = os.environ.get("SMS_HTTP_TOKEN", "")
SMS_HTTP_TIMEOUT = float(os.environ.get("SMS_HTTP_TIMEOUT", "5"))
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "优质中小企业梯度培育平台")
SMS_CODE_TTL_SECONDS = env_int("SMS_CODE_TTL_SECONDS", 300)
SMS_CODE_MAX_ATTEMPTS = env_int("SMS_CODE_MAX_ATTEMPTS", 5)
SMS_RESEND_SECONDS = env_int("SMS_RESEND_SECONDS", 60)
# Caps (portal.accounts.throttles.reserve_sms, docs/security.md): per phone and network a day,
# per network an hour, and past the phone's daily ceiling a back-off per network instead of a stop.
SMS_DAILY_LIMIT_PER_PHONE_IP = env_int("SMS_DAILY_LIMIT_PER_PHONE_IP", 5)
SMS_DAILY_LIMIT_PER_PHONE = env_int("SMS_DAILY_LIMIT_PER_PHONE", 20)
SMS_PHONE_BACKOFF_SECONDS = env_int("SMS_PHONE_BACKOFF_SECONDS", 3600)
SMS_HOURLY_LIMIT_PER_IP = env_int("SMS_HOURLY_LIMIT_PER_IP", 30)
ACCOUNTS_EMAIL_RESEND_SECONDS = env_int("ACCOUNTS_EMAIL_RESEND_SECONDS", 60)
ACCOUNTS_EMAIL_DAILY_LIMIT = env_int("ACCOUNTS_EMAIL_DAILY_LIMIT", 5)
# Proxies whose X-Forwarded-For is believed (IPs or networks, comma separated), e.g. the nginx in
# front of gunicorn: TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8. Empty: the client is REMOTE_ADDR.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

ACCOUNTS_LOGIN_SMS_REQUIRED = env_bool("ACCOUNTS_LOGIN_SMS_REQUIRED", True)
ACCOUNTS_LOGIN_CAPTCHA_AFTER = env_int("ACCOUNTS_LOGIN_CAPTCHA_AFTER", 2)
ACCOUNTS_LOGIN_FAILURE_WINDOW_SECONDS = env_int("ACCOUNTS_LOGIN_FAILURE_WINDOW_SECONDS", 3600)
# Personal uploads (licences, evidence): outside MEDIA_ROOT, no URL (portal.core.storage).
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("PRIVATE_MEDIA_ROOT")
    or os.environ.get("ACCOUNTS_PRIVATE_MEDIA_ROOT")  # its name before 2026-12
    or BASE_DIR / "private-media"
)
ACCOUNTS_LICENCE_MAX_BYTES = env_int("ACCOUNTS_LICENCE_MAX_BYTES", 5 * 1024 * 1024)
ACCOUNTS_EVIDENCE_MAX_BYTES = env_int("ACCOUNTS_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
ACCOUNTS_EMAIL_LINK_MAX_AGE = env_int("ACCOUNTS_EMAIL_LINK_MAX_AGE", 24 * 3600)
ACCOUNTS_RECOVERY_MAX_AGE = env_int("ACCOUNTS_RECOVERY_MAX_AGE", 15 * 60)
# Identity checks run in order; the first refusal wins. Add an adapter to an external registry
# (a subclass of portal.accounts.verification.ExternalRegistryBackend) for production.
ACCOUNTS_VERIFICATION_BACKENDS = env_list(
    "ACCOUNTS_VERIFICATION_BACKENDS", "portal.accounts.verification.LocalRulesBackend"
)
# Approve 实名认证 on well-formed numbers alone (no registry, no staff): anyone could verify as any
# enterprise. Off by default — claims then go to 人工实名认证; a deploy check warns when it is on.
ACCOUNTS_LOCAL_RULES_APPROVE = env_bool("ACCOUNTS_LOCAL_RULES_APPROVE", False)

# django-axes: lock a login name from one address after AXES_FAILURE_LIMIT failures for
# AXES_COOLOFF_MINUTES; failures are stored in the database, so they hold across app processes.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# "username" is the account the typed 登录名 / USCC / ID number resolves to, in any letter case,
# and the address comes through TRUSTED_PROXIES like every throttle's.
AXES_USERNAME_CALLABLE = "portal.accounts.backends.axes_username"
AXES_CLIENT_IP_CALLABLE = "portal.accounts.throttles.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# django-simple-captcha (图形验证码), rendered with its bundled font
CAPTCHA_LENGTH = env_int("CAPTCHA_LENGTH", 4)
CAPTCHA_TIMEOUT = env_int("CAPTCHA_TIMEOUT_MINUTES", 5)
CAPTCHA_IMAGE_SIZE = (120, 40)
CAPTCHA_FONT_SIZE = 28
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.random_char_challenge"
AXES_LOCKOUT_CALLABLE = "portal.accounts.views.lockout_response"

# Every way into a session is the site's login or the admin's (both password + SMS code): Wagtail's
# page-privacy login goes to the site's, and the admin has no e-mail password reset (a superuser
# resets staff passwords; enterprises use 账号找回).
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAIL_PASSWORD_RESET_ENABLED = False
# The region a staff member's admin views cover (portal.core.scopes): their 审核人员范围
PORTAL_STAFF_REGION_RESOLVER = "portal.review.selectors.staff_region"
# Enterprises' records without a scoped admin register: their entries in the site-history report
# are for superusers only (portal.core.admin_views) until a register scopes them by region.
PORTAL_SITE_HISTORY_UNSCOPED_MODELS = [
    "forms_engine.formsubmission",
    "assessments.assessment",
    "filings.evidencearchive",
]

# --- background tasks (Django Tasks API, SPEC F-63) ---
# TASKS_BACKEND picks where enqueued work goes; `make run` starts `manage.py db_worker` beside the
# server, so Wagtail's own tasks (reference index, image renditions, file deletion) use it too.
#   database   django-tasks-db: durable rows in the portal's database (default)
#   rq         django-tasks-rq: Redis through RQ, for several worker machines (pip install -r
#              requirements-scale-out.txt; TASKS_REDIS_URL; workers run `manage.py rqworker`)
#   immediate  run in the calling thread (tests)
# docs/evidence.md ("Background worker") explains each one.
TASK_QUEUES = ["default", "evidence", "jobs"]
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", "redis://127.0.0.1:6379/0")


def task_backend(name: str) -> dict:
    """One TASKS entry for TASKS_BACKEND ``name`` (every backend serves all TASK_QUEUES)."""
    backends = {
        "database": "django_tasks_db.DatabaseBackend",
        "rq": "django_tasks_rq.RQBackend",
        "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    }
    if name not in backends:
        raise ValueError(f"Unsupported TASKS_BACKEND: {name!r} (choose from {', '.join(backends)})")
    return {"BACKEND": backends[name], "QUEUES": list(TASK_QUEUES)}


TASKS = {"default": task_backend(TASKS_BACKEND)}
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {queue: {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 3600} for queue in TASK_QUEUES}


# --- filings: the evidence zip (其他材料, SPEC F-32) ---
# Every limit can be changed through the environment variable of the same name; docs/evidence.md
# lists them. Sizes are bytes (1 MB = 1024 × 1024 bytes, as Windows shows them).
INSTALLED_APPS += ["portal.filings"]
MB = 1024 * 1024
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 300 * MB)
EVIDENCE_CHUNK_BYTES = env_int("EVIDENCE_CHUNK_BYTES", 5 * MB)  # what the browser sends per PATCH
EVIDENCE_MAX_CHUNK_BYTES = env_int("EVIDENCE_MAX_CHUNK_BYTES", 16 * MB)  # larger PATCH bodies: 413
EVIDENCE_UPLOAD_EXPIRY_HOURS = env_int("EVIDENCE_UPLOAD_EXPIRY_HOURS", 24)
EVIDENCE_MAX_ARCHIVES_PER_ENTERPRISE = env_int("EVIDENCE_MAX_ARCHIVES_PER_ENTERPRISE", 10)
EVIDENCE_MAX_MEMBERS = env_int("EVIDENCE_MAX_MEMBERS", 10_000)
EVIDENCE_MAX_UNCOMPRESSED_BYTES = env_int("EVIDENCE_MAX_UNCOMPRESSED_BYTES", 2048 * MB)
EVIDENCE_MAX_COMPRESSION_RATIO = env_int("EVIDENCE_MAX_COMPRESSION_RATIO", 100)
EVIDENCE_RATIO_MIN_BYTES = env_int("EVIDENCE_RATIO_MIN_BYTES", 1 * MB)  # small files may compress well
EVIDENCE_MAX_NAME_LENGTH = env_int("EVIDENCE_MAX_NAME_LENGTH", 240)
# refuse: a member that is itself an archive is refused; inspect: nested .zip files are checked
# with the same rules (and the same decompression budget) down to EVIDENCE_MAX_NESTING_DEPTH.
EVIDENCE_NESTED_ARCHIVES = os.environ.get("EVIDENCE_NESTED_ARCHIVES", "refuse")
EVIDENCE_MAX_NESTING_DEPTH = env_int("EVIDENCE_MAX_NESTING_DEPTH", 2)
# Names without the UTF-8 flag are decoded as Chinese Windows writes them (GBK; GB 18030 is its superset).
EVIDENCE_LEGACY_NAME_ENCODING = os.environ.get("EVIDENCE_LEGACY_NAME_ENCODING", "gb18030")
# Characters Windows cannot put in a file name; control and invisible format characters always too.
EVIDENCE_FORBIDDEN_NAME_CHARACTERS = os.environ.get("EVIDENCE_FORBIDDEN_NAME_CHARACTERS", '\\:*?"<>|')
EVIDENCE_MAX_REPORTED_PROBLEMS = env_int("EVIDENCE_MAX_REPORTED_PROBLEMS", 20)
# Private storage, outside MEDIA_ROOT; replace with django-storages' S3Storage in production.
# its own folder of the private root: accounts keep their uploads in PRIVATE_MEDIA_ROOT/evidence/…
EVIDENCE_STORAGE_ROOT = Path(
    os.environ.get("EVIDENCE_STORAGE_ROOT", PRIVATE_MEDIA_ROOT / "evidence-archives")
)
STORAGES["evidence"] = {
    "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
    "OPTIONS": {"location": str(EVIDENCE_STORAGE_ROOT)},
}
if os.environ.get("EVIDENCE_S3_BUCKET"):
    # S3-compatible object storage (MinIO, OSS, COS, OBS …) through django-storages; needs
    # `pip install -r requirements-scale-out.txt`. Objects stay private: no public ACL, and the
    # portal streams downloads itself after its owner check (no pre-signed URLs handed out).
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["EVIDENCE_S3_BUCKET"],
            "endpoint_url": os.environ.get("EVIDENCE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("EVIDENCE_S3_REGION") or None,
            "access_key": os.environ.get("EVIDENCE_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("EVIDENCE_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("EVIDENCE_S3_PREFIX", "evidence"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


# --- assessments: 数字化水平评测 (SPEC F-35, docs/assessment.md) ---
INSTALLED_APPS += ["portal.assessments"]
# The result (total, level, per-dimension subtotals) is stored inside the engine's submit transaction.
FORMS_ENGINE_SUBMIT_HOOKS["category:assessment"] = "portal.assessments.services.record_assessment_result"


# --- filings: 企业申报 (SPEC F-24, F-30–F-37, docs/filings.md) ---
# The filing owns its engine submission: its submit hook moves the filing into review inside the
# submit's transaction, and refuses a filing form submitted outside a filing.
FORMS_ENGINE_SUBMIT_HOOKS["*"] = "portal.filings.services.record_filing_submission"
# PDFs of submitted filings (and certificates): rendered once per submitted state, kept privately.
FILING_DOCUMENTS_ROOT = Path(os.environ.get("FILING_DOCUMENTS_ROOT", PRIVATE_MEDIA_ROOT / "filing-documents"))
STORAGES["filing_documents"] = {
    "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
    "OPTIONS": {"location": str(FILING_DOCUMENTS_ROOT)},
}


# --- review: reviewers' scopes, the queue and the actions (SPEC F-40, F-41, docs/review.md) ---
INSTALLED_APPS += ["portal.review"]
# the admin's exports and 统计概览 (docs/reports.md)
INSTALLED_APPS += ["portal.reports"]
# Audit log (Wagtail's log entries) kept this many days; at least 180 (网络安全法 art. 21, check
# portal.E003). `manage.py purge_audit_log` deletes older entries and never younger ones.
AUDIT_LOG_RETENTION_DAYS = int(os.environ.get("AUDIT_LOG_RETENTION_DAYS", "365"))

# --- scheduled jobs (SPEC F-63, docs/jobs.md): `manage.py run_scheduler` queues them on the worker ---
INSTALLED_APPS += ["portal.jobs"]
# Scale-out declarations checked by `check --deploy` (portal.E004): how many app servers run this
# configuration, and whether MEDIA_ROOT / PRIVATE_MEDIA_ROOT are on a filesystem all of them share.
PORTAL_APP_SERVERS = int(os.environ.get("PORTAL_APP_SERVERS", "1"))
PORTAL_SHARED_FILESYSTEM = env_bool("PORTAL_SHARED_FILESYSTEM", False)

# --- 企业重大变更 (SPEC F-25, docs/changes.md) ---
INSTALLED_APPS += ["portal.changes"]
INSTALLED_APPS += ["portal.lifecycle"]  # 认证到期管理, 复核, 信息更新, the lifecycle jobs (issue 13)
FORMS_ENGINE_SUBMIT_HOOKS["category:change"] = "portal.changes.services.record_change_submission"
# A change reported more than this many months after it took effect is flagged to the reviewer
# (policy/standards.md §4: report within 3 months).
CHANGES_LATE_REPORT_MONTHS = int(os.environ.get("CHANGES_LATE_REPORT_MONTHS", "3"))

# --- inbox: 我的消息 (SPEC F-23, docs/inbox.md) ---
INSTALLED_APPS += ["portal.inbox"]
# Categories whose new messages also text the owner's bound phone (“您有一条新的【认定通知】消息，请登录
# 平台查看。”, never the message itself), comma separated keys: expiry, info_update, recognition,
# cancellation, filing. notify(sms=True/False) overrides per message. Checked by inbox.E001.
INBOX_SMS_CATEGORIES = env_list("INBOX_SMS_CATEGORIES", "recognition,cancellation,expiry")


# --- recognition: 公示, 认定, certificates, the public query (SPEC F-03, F-42, docs/recognition.md) ---
# The number pattern, validity years, 公示 period and issuing authorities are admin settings
# (设置 → 认定设置, 各省认定设置); the query is throttled per client address here.
INSTALLED_APPS += ["portal.recognition"]
RECOGNITION_QUERY_HOURLY_LIMIT_PER_IP = env_int("RECOGNITION_QUERY_HOURLY_LIMIT_PER_IP", 30)
RECOGNITION_QUERY_DAILY_LIMIT_PER_IP = env_int("RECOGNITION_QUERY_DAILY_LIMIT_PER_IP", 200)
