"""ciodesk settings: one module, driven by environment variables.

Every variable read here is listed in README.md ("Configuration").
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "0")
# Under pytest (or CIODESK_TESTING=1): plain HTTP, static files from the app folders.
TESTING = envbool("CIODESK_TESTING") or "pytest" in sys.modules
DATA_DIR = Path(os.environ.get("CIODESK_DATA_DIR", BASE_DIR.parent / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    # Development only: a key generated once per data directory. Production sets SECRET_KEY
    # (README "Deploying"); `check --deploy` flags a short or missing one.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "ciodesk.core",
    "ciodesk.accounts",
    "ciodesk.tenancy",
    "ciodesk.audit",
    "ciodesk.vendors",
    "ciodesk.security",
    "ciodesk.budget",
    "ciodesk.delivery",
    "ciodesk.reports",
    "ciodesk.assessments",
    "ciodesk.roadmap",
    "ciodesk.intake",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ciodesk.accounts.middleware.TwoFactorMiddleware",
    "ciodesk.tenancy.middleware.ClientScopeMiddleware",
]

ROOT_URLCONF = "ciodesk.urls"
WSGI_APPLICATION = "ciodesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # A practice brands its pages and reports by placing templates in DATA_DIR/templates.
        "DIRS": [DATA_DIR / "templates", BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ciodesk.tenancy.context_processors.tenancy",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'ciodesk.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

# Login throttling: this many failures within the window lock the account (or the IP
# address, at IP_LIMIT) until the window has passed.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_IP_LIMIT = envint("LOGIN_FAILURE_IP_LIMIT", 20)
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", 15)

SECURITY_EVIDENCE_MAX_BYTES = envint("SECURITY_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
INVITATION_VALID_DAYS = 7

# Background work (imports, reports): Django's tasks API, stored in the database and run by
# `ciodesk db_worker` (`make run` starts one). Tests run tasks immediately.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if TESTING or envbool("CIODESK_TASKS_IMMEDIATE")
            else "django_tasks_db.backend.DatabaseBackend"
        )
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# E-mail: the console by default; SMTP when EMAIL_HOST is set.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": envint("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", "1"),
                "use_ssl": envbool("EMAIL_USE_SSL", "0"),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ciodesk <ciodesk@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. Production (DEBUG off) gets HTTPS-only cookies and HSTS; behind a
# reverse proxy that terminates TLS set SECURE_PROXY_SSL_HEADER=1.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 12)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", "1")
    CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", "1")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1")
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "1")
if envbool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Behind a reverse proxy that sets X-Forwarded-For, take the client's address from it
# (the last entry, the one the proxy added) for login throttling.
USE_X_FORWARDED_FOR = envbool("USE_X_FORWARDED_FOR")

# The public free technology risk review (/review/): the DNS resolver its outside-in checks
# use (comma-separated addresses; empty = the system's resolver) and the port they listen
# on, the timeout of each look-up and of all of them together (seconds; below 5, so that a
# slow or hostile DNS never holds the page longer), and how many reviews one network
# address and one e-mail domain may start per hour.
RISK_REVIEW_DNS_SERVERS = envlist("RISK_REVIEW_DNS_SERVERS")
RISK_REVIEW_DNS_PORT = envint("RISK_REVIEW_DNS_PORT", 53)
RISK_REVIEW_DNS_TIMEOUT = float(os.environ.get("RISK_REVIEW_DNS_TIMEOUT", "2.0"))
RISK_REVIEW_TOTAL_SECONDS = min(float(os.environ.get("RISK_REVIEW_TOTAL_SECONDS", "3.0")), 4.5)
RISK_REVIEW_LIMIT_PER_IP = envint("RISK_REVIEW_LIMIT_PER_IP", 10)
RISK_REVIEW_LIMIT_PER_DOMAIN = envint("RISK_REVIEW_LIMIT_PER_DOMAIN", 5)
# Days a prospect's result page and PDF stay reachable by their link (the lead stays).
RISK_REVIEW_RESULT_DAYS = envint("RISK_REVIEW_RESULT_DAYS", 90)
