"""Settings for CollaNavi, read from environment variables with safe local defaults."""

import os
import tempfile
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
# The fictional sample data that `manage.py load_demo` loads and the generators build on.
DEMO_DIR = BASE_DIR / "fixtures" / "demo"


def envbool(name: str, default: bool) -> bool:
    return os.getenv(name, str(default)).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.getenv(name, str(default)))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "kernel.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "import_export",
    "simple_history",
    "csp",
    "kernel.apps.StaffAxesConfig",
    "django_tasks",
    "django_tasks_db",
    "kernel.apps.KernelConfig",
    "partners",
    "cases",
    "inquiries",
    "guide",
    "directory",
    "stats",
    "seeds",
    "collanavi.apps.CollanaviConfig",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kernel.catalogue.VersionPerRequest",
    "kernel.uploads.RequestSizeMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "collanavi.urls"
WSGI_APPLICATION = "collanavi.wsgi.application"

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
                "kernel.context_processors.site",
                "cases.context_processors.casebook",
            ],
            "libraries": {"site_tags": "kernel.templatetags.site_tags"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the PDF workers write at once: readers never block the writer (WAL), a
    # transaction takes the write lock when it starts (no deadlock upgrading a read), and a
    # writer waits for its turn instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# `default` holds what is costly to compute (pages, indexes); `shared` what every process must
# agree on at once (the catalogue version, rate limits): see collanavi/cache.py. Without Redis,
# `shared` is the table `manage.py createcachetable` makes.
if os.getenv("REDIS_URL"):
    _redis = {
        "BACKEND": "kernel.cache.FaultTolerantRedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        # an unreachable Redis costs a request at most a moment before the database serves it
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    }
    CACHES = {"default": _redis, "shared": _redis}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "kernel.cache.SharedDatabaseCache",
            "LOCATION": "collanavi_shared_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 10},
        },
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # locks out brute force on the admin login
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1)
# A user is locked out from one address only, so nobody can lock a clerk out from elsewhere;
# an address that fails under many names is stopped too (kernel.lockout).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ADDRESS_FAILURE_LIMIT = envint("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_HANDLER = "kernel.lockout.StaffAxesHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "kernel.ratelimit.client_address"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
# The project catalogue comes first: it completes the libraries' staff screens in Japanese.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.getenv("TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "media"))
# Files only staff may see (photos of update proposals before approval): never served as media.
PRIVATE_MEDIA_ROOT = Path(os.getenv("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "kernel.storage.PrivateStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security: production defaults whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer probes over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy: public pages need no inline script or style. The Django admin
# relies on inline styles, so it is left to its own headers (X-Frame-Options and the rest).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *envlist("MEDIA_ORIGINS")],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every layout step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# The instance: another prefecture or city sets these for its own portal.
# Absolute address of the public site, printed in PDFs so a reader finds each case online.
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.getenv("SITE_NAME", "コラボナビ")
SITE_TAGLINE = os.getenv("SITE_TAGLINE", "協働事例を探して、つながる")
PREFECTURE_NAME = os.getenv("PREFECTURE_NAME", "千葉県")
CONTACT_OFFICE = os.getenv("CONTACT_OFFICE", "県民生活・文化課 NPO活動推進室（サンプル）")
CONTACT_HOURS = os.getenv("CONTACT_HOURS", "平日 午前9時〜午後5時（土日祝日・年末年始を除く）")
CONTACT_PHONE = os.getenv("CONTACT_PHONE", "000-000-0000")
CONTACT_EMAIL = os.getenv("CONTACT_EMAIL", "collanavi@example.jp")
# The issuing office and its contact, printed on the cover of every casebook handed out.
ISSUER_NAME = os.getenv("ISSUER_NAME", f"{PREFECTURE_NAME} 環境生活部 県民生活・文化課")
ISSUER_CONTACT = os.getenv("ISSUER_CONTACT", f"電話 {CONTACT_PHONE}　メール {CONTACT_EMAIL}")
# Shows that every case on the site is a fictional sample; turn off for real content.
DEMO_NOTICE = envbool("DEMO_NOTICE", True)
# Staff import and export (django-import-export): own permissions, one transaction per file.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Open data: the licence of /cases/export.csv and .json.
OPEN_DATA_LICENSE = os.getenv(
    "OPEN_DATA_LICENSE", "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）"
)
OPEN_DATA_LICENSE_URL = os.getenv(
    "OPEN_DATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/deed.ja"
)

# Open-data exports are written here once per catalogue version (a cache: a local folder the
# PDF worker on the same server writes too). An export of more cases than EXPORT_IN_REQUEST_MAX
# is written by the worker, not in the request.
EXPORT_CACHE_DIR = Path(
    os.getenv("EXPORT_CACHE_DIR", Path(tempfile.gettempdir()) / "collanavi-exports")
)
EXPORT_IN_REQUEST_MAX = envint("EXPORT_IN_REQUEST_MAX", 1000)

# Mail: the console by default; SMTP when EMAIL_HOST is set.
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.getenv("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.getenv("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "noreply@example.jp")
# Who hears of each inquiry and update proposal.
STAFF_NOTIFY_EMAILS = envlist(
    "STAFF_NOTIFY_EMAILS", os.getenv("CONTACT_EMAIL", "collanavi@example.jp")
)
# Inquiries (personal data) are deleted this many days after they arrive (purge_inquiries).
INQUIRY_RETENTION_DAYS = envint("INQUIRY_RETENTION_DAYS", 3 * 365)
# Public POSTs per address and window; a cache shared by all workers when REDIS_URL is set.
RATE_LIMIT_FORMS = (envint("RATE_LIMIT_FORMS", 10), 600)
RATE_LIMIT_CLICKS = (envint("RATE_LIMIT_CLICKS", 120), 60)
# PDF requests (downloads and the progress page's polls) per address and 10 minutes.
RATE_LIMIT_PDFS = (envint("RATE_LIMIT_PDFS", 120), 600)
# The number of proxies in front of the app that append to X-Forwarded-For: the client is that
# many entries from its right (kernel.ratelimit.client_address). The older
# TRUST_X_FORWARDED_FOR=true means one proxy.
TRUSTED_PROXY_COUNT = envint(
    "TRUSTED_PROXY_COUNT", 1 if envbool("TRUST_X_FORWARDED_FOR", False) else 0
)
# Request bodies: a public post may carry 3 photos of 8 MB (lib.images) and its
# texts; staff import spreadsheets. Longer bodies are refused on their Content-Length (413).
MAX_REQUEST_BYTES = envint("MAX_REQUEST_MB", 26) * 1024 * 1024
MAX_STAFF_REQUEST_BYTES = envint("MAX_STAFF_REQUEST_MB", 50) * 1024 * 1024
# Form fields other than files, held in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Files go to a temporary file as they arrive, each cut off past 8 MB (kernel.uploads).
FILE_UPLOAD_HANDLERS = ["kernel.uploads.LimitedUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 0

# Background work (case PDFs laid out ahead of time): a queue in the database, worked by
# `manage.py db_worker` processes (`make run` starts them beside the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Worker processes `manage.py serve` starts beside runserver (production starts its own).
PDF_RENDER_WORKERS = envint("PDF_RENDER_WORKERS", min(os.cpu_count() or 1, 4))
# Books bound (or drafts laid out for staff) at once per cache, fewer than gunicorn workers so
# that one always answers; more wait on the progress page.
PDF_CONCURRENT_BUILDS = envint("PDF_CONCURRENT_BUILDS", 1)
# A longer casebook is bound by the worker too (about 2 s per 40 cases on the project's machine).
PDF_BIND_IN_REQUEST_MAX = envint("PDF_BIND_IN_REQUEST_MAX", 40)
# Cases whose 情報確認日 is older than this are flagged to staff.
STALE_AFTER_DAYS = envint("STALE_AFTER_DAYS", 365)
