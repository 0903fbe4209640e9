"""OpenPO settings, read from the environment (12-factor); README.md lists every variable.

Development (`make run`, `make test`) sets DEBUG=true and gets SQLite, console email and files
under var/. Production sets DEBUG off and must provide SECRET_KEY and ALLOWED_HOSTS.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG off) needs a long random SECRET_KEY in the "
            "environment; for development set DEBUG=true."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "axes",
    "kernel",
    "campaigns",
    "orders",
    "payments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A logged-in seller's own language, over the browser's (kernel/languages.py).
    "kernel.languages.SellerLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, whose process_view reads the body: too large a body is refused unread.
    "kernel.uploads.RequestSizeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: refuses a locked-out login before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "openpo.urls"
WSGI_APPLICATION = "openpo.wsgi.application"
ADMIN_URL = env.str("ADMIN_URL", default="admin/")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'openpo.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A new PostgreSQL connection costs ~14 ms; keep them across requests.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Values sent apart from the SQL, and a statement run often prepared once per connection:
    # psycopg stops quoting every value in Python and PostgreSQL stops planning every statement
    # again (~12% of a buy's CPU in bench/rush.py). Off behind a pooler that cannot keep prepared
    # statements (PgBouncer before 1.21 in transaction mode).
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = env.bool(
        "DATABASE_SERVER_SIDE_BINDING", default=True
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default lives under var/, which a fresh clone does not have yet: any
    # manage.py command (makemigrations --check included) can open it from the first run.
    if Path(DATABASES["default"]["NAME"]).parent == VAR_DIR:
        VAR_DIR.mkdir(exist_ok=True)
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait instead of failing
    # with "database is locked" halfway through an order.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# Per client address, "count/seconds" (kernel/ratelimit.py). They count in the database every
# worker and host shares (or in Redis, when CACHE_URL names it), so 4 workers hold them exactly.
ORDER_RATE = env.str("ORDER_RATE", default="20/600")
PROOF_RATE = env.str("PROOF_RATE", default="10/600")
WAITLIST_RATE = env.str("WAITLIST_RATE", default="10/600")
# Password reset e-mails asked for, per client address and per e-mail address typed.
PASSWORD_RESET_RATE = env.str("PASSWORD_RESET_RATE", default="5/3600")
# "Find my orders" requests, per client address and per e-mail or WhatsApp number typed.
FIND_ORDERS_RATE = env.str("FIND_ORDERS_RATE", default="5/3600")
# How many proxies of our own stand in front of the app and append to X-Forwarded-For; 0 trusts
# none of it and counts REMOTE_ADDR.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)

# Hostile bodies (kernel/uploads.py): form fields other than files at most 1 MB in all, files
# over 1 MB spooled to disk, and each file cut off just past the 10 MB picture limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "kernel.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (e-mails, alerts, the every-minute tick) goes through Django's tasks framework
# into a table the `db_worker` command works through: no request waits on a mail server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Payment gateways (payments/services/gateways/): the key shop gateway keys are encrypted with
# (Fernet; comma-separated to rotate, newest first; kernel/vault.py), and the providers' addresses,
# empty for their documented ones (tests point them at a local fake gateway).
GATEWAY_KEYS_KEY = env.str("GATEWAY_KEYS_KEY", default="")
MIDTRANS_SNAP_URL = env.str("MIDTRANS_SNAP_URL", default="")
MIDTRANS_API_URL = env.str("MIDTRANS_API_URL", default="")
XENDIT_API_URL = env.str("XENDIT_API_URL", default="")
GATEWAY_TIMEOUT = env.float("GATEWAY_TIMEOUT", default=10)
# Minutes a buyer has to pay once they click "Pay now".
GATEWAY_PAYMENT_MINUTES = env.int("GATEWAY_PAYMENT_MINUTES", default=60)
# The in-app "fake gateway" (pays without money: development and demos only).
FAKE_GATEWAY = env.bool("FAKE_GATEWAY", default=DEBUG)

# Log-in throttling (django-axes), the staff admin's log-in included: after AXES_FAILURE_LIMIT
# failures for one account, or from one address, both are refused until the cool-off ends (staff
# can unlock sooner: README, Deploying). Failures count in the database every worker shares.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_CLIENT_IP_CALLABLE = "kernel.ratelimit.login_client_ip"
# One line per refused log-in is enough; the access log of every success is not needed.
AXES_DISABLE_ACCESS_LOG = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:pick_shop"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("id", _("Indonesian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True

# Buyers type WhatsApp numbers without a country code ("0812..."); read them as this region's.
PHONE_DEFAULT_REGION = env.str("PHONE_DEFAULT_REGION", default="ID")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Proofs of payment: never under MEDIA_ROOT, never given a URL; only views that check the
# order's token or the shop membership read them (payments/storage.py).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
STORAGES = {
    # Public uploads. Several app hosts need shared storage: a shared MEDIA_ROOT, or another
    # backend (e.g. an S3-compatible one from django-storages) named here with its options.
    "default": {
        "BACKEND": env.str("MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json("MEDIA_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}


def mailer_from_url(config: dict) -> dict:
    """Django 6.1's MAILERS entry for what django-environ read from EMAIL_URL."""
    backend = config["EMAIL_BACKEND"]
    options = {}
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        options = {
            "host": config["EMAIL_HOST"],
            "port": config["EMAIL_PORT"],
            "username": config["EMAIL_HOST_USER"],
            "password": config["EMAIL_HOST_PASSWORD"],
            "use_tls": config.get("EMAIL_USE_TLS", False),
            "use_ssl": config.get("EMAIL_USE_SSL", False),
        }
        # A mail server that accepts and never answers costs a worker this long, not forever.
        options["timeout"] = env.int("EMAIL_TIMEOUT", default=10)
    elif backend == "django.core.mail.backends.filebased.EmailBackend":
        options = {"file_path": config["EMAIL_FILE_PATH"]}
    return {"BACKEND": backend, "OPTIONS": options}


# Development prints emails to the console; production defaults to a local MTA, as Django did.
EMAIL_URL_DEFAULT = "consolemail://" if DEBUG else "smtp://localhost:25"
MAILERS = {"default": mailer_from_url(env.email_url("EMAIL_URL", default=EMAIL_URL_DEFAULT))}
# Where buyers reach the site: links in emails are built on it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OpenPO <noreply@openpo.local>")

# Security headers, from Django itself.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    # A campaign's video: only the players campaigns/views/video.py builds (a test keeps the two
    # in step).
    "frame-src": [
        "https://www.youtube-nocookie.com",
        "https://www.tiktok.com",
        "https://www.instagram.com",
    ],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# Load balancers probe /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env.bool("BEHIND_TLS_PROXY", default=False):
    # Only behind a proxy that sets this header itself (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # One line per email sent is noise; failed tasks still log at WARNING and above.
    # django-axes says each refused log-in at INFO; lockouts still show at WARNING.
    "loggers": {"django.tasks": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
