"""Settings, driven by the environment (django-environ).

One module for every environment: development, tests and production differ only in the
environment variables (see ``.env.example``). A malformed value stops the start-up with an
error rather than falling back to something unsafe.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Variables already in the environment win over the file.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")))

_WAAR, _ONWAAR = {"true", "1", "yes", "on", "ja"}, {"false", "0", "no", "off", "nee", ""}


def env_bool(naam: str, default: bool) -> bool:
    """A boolean from the environment; a value that is neither yes nor no stops the start-up."""
    waarde = env.str(naam, default=str(default)).strip().lower()
    if waarde not in _WAAR | _ONWAAR:
        raise ImproperlyConfigured(f"{naam}={waarde!r} is geen geldige ja/nee-waarde.")
    return waarde in _WAAR


DEBUG = env_bool("DEBUG", default=False)

# Development keeps a fixed key so sessions survive a restart; production must bring its own.
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY ontbreekt: zet SECRET_KEY in de omgeving of in .env.")
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("De ontwikkelsleutel mag niet gebruikt worden met DEBUG=False.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "reintegratie.accounts",
    "reintegratie.audit",
    "deelnemers",
    "trajecten",
    "werkplekken",
    "reintegratie.agenda",
    "reintegratie.taken",
    "reintegratie.overleg",
    "reintegratie.groepen",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_structlog",
    "health_check",
]

MIDDLEWARE = [
    "reintegratie.audit.verwerking.VerzoekMiddleware",
    "django_structlog.middlewares.RequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the second step: its redirects and the enrolment page (a secret) get no-store,
    # and a session waiting for its code times out like any other.
    "reintegratie.accounts.sessies.SessieMiddleware",
    # In place of django-otp's OTPMiddleware, without its device query per request.
    "reintegratie.accounts.tweestaps.TweestapsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as axes asks: turns a lockout into the log-in page with its message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reintegratie.urls"
WSGI_APPLICATION = "reintegratie.wsgi.application"

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
                "reintegratie.accounts.context_processors.navigatie",
            ],
            "builtins": ["django.templatetags.l10n", "reintegratie.templatetags.opmaak"],
            "string_if_invalid": env.str("TEMPLATE_STRING_IF_INVALID", default=""),
        },
    },
]

# SQLite in the project folder by default, so a fresh machine needs no database server;
# production and CI point DATABASE_URL at PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short OLTP queries: PostgreSQL's JIT cost more than it saved in the benchmarks
    # (bench/README.md: 175 of 240 ms of a search count was JIT compilation).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a management command share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
    )

# Schaal: verbindingen, replica's, cache
# Persistent connections: a new connection per request made a trivial view 3.4x slower and
# the caseload 25-30% (issue 13). A connection that broke while idle (a database restart, a
# failover) is noticed at the start of the next request instead of failing it. Not with
# DEBUG by default: runserver starts a thread per request, which would keep a connection each.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if DEBUG else 60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Read replicas (reintegratie/databases.py): web requests read from one, write to the
# primary; a user who wrote reads from the primary for DATABASE_PRIMAIR_NA_SCHRIJVEN_SECONDEN.
# None configured: everything on default. In tests a replica is a mirror of default.
DATABASE_REPLICAS = []
for _nummer, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    _replica = env.db_url_config(_url)
    if _replica["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("Een replica is een kopie van DATABASE_URL: dezelfde database.")
    DATABASES[f"replica{_nummer}"] = {
        **_replica,
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_REPLICAS.append(f"replica{_nummer}")
DATABASE_ROUTERS = ["reintegratie.databases.ReplicaRouter"]
DATABASE_PRIMAIR_NA_SCHRIJVEN_SECONDEN = env.int(
    "DATABASE_PRIMAIR_NA_SCHRIJVEN_SECONDEN", default=10
)
# First, so that every query of the request, the session's too, knows its database.
MIDDLEWARE.insert(0, "reintegratie.databases.PrimairNaSchrijvenMiddleware")
# The cache: in-process by default, which is per gunicorn worker and per host: a count one
# worker refreshes (the dashboard's "opnieuw tellen"), or the register of processing
# activities cleared on a save, stays stale in the others until it expires (5 and 10 minutes).
# With more than one worker set CACHE_URL (or REDIS_URL) to Redis, which goes through
# django-redis, or to dbcache://reintegratie_cache (after ``manage.py createcachetable``).
_CACHE_URL = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if _CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": _CACHE_URL,
            # A Redis that is down makes pages count afresh, not fail; the health check
            # (/gezondheid/) still reports it.
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
else:
    CACHES = {"default": env.cache_url_config(_CACHE_URL or "locmemcache://")}
# Sessions stay in the database (Django's default), also with Redis: they are security state
# (the moment of log-in and of the last request, the second step), the database is already
# shared by every instance and survives a Redis restart, and the middleware saves the
# session on every request (its last activity), so cached_db would add a Redis write to each
# request to spare one primary-key read. The router keeps them on the primary.

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.Gebruiker"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# The lockout check first; it checks no password and logs no one in. Then the users' own.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# AUTH_PASSWORD_VALIDATORS: see "Inloggen en sessies (BIO)" at the end.

LANGUAGE_CODE = "nl"
# Our own Dutch for what Django's catalogue lacks (the empty choice, a few admin strings).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
# Dutch formats (dd-mm-jjjj, 1.234,5) come from Django's nl locale.
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Access (reintegratie.access): how long an involvement lasts after its reason ends, for the
# last report of a trajectory and the last hours and observation of a placement; and how far
# back a klantmanager may start a placement (further back is a manager's decision).
TOEGANG_NAWERKING_TRAJECT_DAGEN = env.int("TOEGANG_NAWERKING_TRAJECT_DAGEN", default=30)
TOEGANG_NAWERKING_PLAATSING_DAGEN = env.int("TOEGANG_NAWERKING_PLAATSING_DAGEN", default=14)
PLAATSING_TERUG_DAGEN = env.int("PLAATSING_TERUG_DAGEN", default=7)

# Security. Everything below is on unless DEBUG is; `check --deploy` runs clean in production.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Shared workstations in offices: a session ends when the browser closes, and after 8 hours
# (SESSION_COOKIE_AGE follows SESSIE_MAXIMUM_UREN: "Inloggen en sessies (BIO)" at the end).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Dutch government guidance (Forum Standaardisatie) asks for HSTS with preload.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Logboek zonder persoonsgegevens (AVG)
# One line per request (django-structlog: JSON, or readable lines with DEBUG) with the request
# id the audit records carry (X-Request-ID), the user's pk, method, the path without its query
# string, status ("code") and duration; never a name or a BSN. Every handler replaces a BSN,
# and any run of nine digits, by [BSN]; error reports (the 500 log, the mail to ADMINS) show
# no POST values, local variables or query string. See reintegratie/logboek.py.
LOGGING_CONFIG = "reintegratie.logboek.configureer"
DEFAULT_EXCEPTION_REPORTER = "reintegratie.logboek.Foutrapport"
DEFAULT_EXCEPTION_REPORTER_FILTER = "reintegratie.logboek.Foutfilter"
DJANGO_STRUCTLOG_USER_ID_FIELD = "pk"
# The client's address is bound by reintegratie.logboek, as the lockout reads it.
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
# The start of a request at DEBUG (10): at LOG_LEVEL=INFO one line per request, at its end.
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = 10
# The load balancer asks /gezondheid/ over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^gezondheid/$"]
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "bsn": {"()": "reintegratie.logboek.BsnFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {"structlog": {"()": "reintegratie.logboek.opmaak", "leesbaar": DEBUG}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "structlog",
            "filters": ["bsn"],
        },
        "mail_admins": {
            "class": "reintegratie.logboek.Foutmail",
            "level": "ERROR",
            "filters": ["require_debug_false", "bsn"],
        },
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own records (django.request: 4xx and 5xx) to the console through the root;
        # errors also by mail to ADMINS, as Django does by default.
        "django": {"handlers": ["mail_admins"], "level": LOG_LEVEL, "propagate": True},
        # runserver's line per request holds the query string; django-structlog's replaces it.
        "django.server": {"handlers": ["null"], "propagate": False},
        # At DEBUG these write what the page showed (a template's whole context, on a missing
        # variable) and the SQL with its parameters (names, BSNs): never, at any LOG_LEVEL.
        "django.template": {"level": "INFO"},
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools narrate every render at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Tweestapsverificatie (BIO)
# Every user of an organisation with ``tweestaps_verplicht`` (and every superuser without an
# organisation) enters a code from an authenticator app after the password; see
# reintegratie/accounts/tweestaps.py. The name the app shows next to the code:
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Re-integratie")
# Throttling after a wrong code: 1, 2, 4, 8 ... seconds before the next try (factor x 2^(n-1)),
# per device, for app codes and backup codes alike. Fixed, not from the environment: a factor
# of 0 would switch it off.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Paths open before the second step, besides log-in, log-out, the 2FA pages and STATIC_URL:
# the health endpoint for the load balancer.
TWEESTAPS_VRIJE_PADEN = env.list("TWEESTAPS_VRIJE_PADEN", default=["/gezondheid/"])
# django-otp's own admin pages (superusers only) show no secret keys or QR codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Inloggen en sessies (BIO)
# Lockout (django-axes): after INLOG_POGINGEN failed log-ins an account is locked, and so is
# the address they came from, for INLOG_VERGRENDELING_MINUTEN after the last failure; a try
# during the lockout does not extend it (the message names the minutes). The functioneel
# beheerder of the organisation can unlock an account earlier (/beheer-accounts/vergrendeld/).
INLOG_POGINGEN = env.int("INLOG_POGINGEN", default=5)
INLOG_VERGRENDELING_MINUTEN = env.int("INLOG_VERGRENDELING_MINUTEN", default=15)
# An address has a larger limit of its own: an office behind one address (NAT) is not
# locked out by a few colleagues' typos, an address trying many names still is.
INLOG_POGINGEN_PER_ADRES = env.int("INLOG_POGINGEN_PER_ADRES", default=30)
if INLOG_POGINGEN < 1 or INLOG_VERGRENDELING_MINUTEN < 1:
    raise ImproperlyConfigured("INLOG_POGINGEN en INLOG_VERGRENDELING_MINUTEN zijn minstens 1.")
if INLOG_POGINGEN_PER_ADRES < INLOG_POGINGEN:
    raise ImproperlyConfigured("INLOG_POGINGEN_PER_ADRES is minstens INLOG_POGINGEN.")
AXES_HANDLER = "reintegratie.accounts.vergrendeling.Vergrendeling"
AXES_FAILURE_LIMIT = INLOG_POGINGEN
AXES_COOLOFF_TIME = timedelta(minutes=INLOG_VERGRENDELING_MINUTEN)
# Two separate counts: one per user name, one per IP address (not the pair, which an attacker
# would dodge by changing either); each with its own limit (reintegratie/accounts/
# vergrendeling.py).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "reintegratie.accounts.views.vergrendeld"
AXES_HTTP_RESPONSE_CODE = 429
# Our audit log records log-ins and failures; axes keeps only its counters (no typed names
# in a second log), and those only for the lockout period.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no banner on every start of a management command
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Behind the TLS proxy the client's address is the one the proxy added to X-Forwarded-For
# (INLOG_PROXY_AANTAL proxies in a row, each adding one); otherwise REMOTE_ADDR. Never an
# address the client wrote itself.
AXES_CLIENT_IP_CALLABLE = "reintegratie.accounts.views.client_ip"
INLOG_PROXY_AANTAL = (
    env.int("INLOG_PROXY_AANTAL", default=1) if env_bool("BEHIND_TLS_PROXY", default=False) else 0
)
# Sessions: logged out after SESSIE_INACTIEF_MINUTEN without a request (a warning shows two
# minutes before, static/js/sessie.js), and SESSIE_MAXIMUM_UREN after the log-in whatever
# the activity. The cookie and the stored session last as long as that maximum.
SESSIE_INACTIEF_MINUTEN = env.int("SESSIE_INACTIEF_MINUTEN", default=30)
SESSIE_MAXIMUM_UREN = env.int("SESSIE_MAXIMUM_UREN", default=8)
if SESSIE_INACTIEF_MINUTEN < 3 or SESSIE_MAXIMUM_UREN * 60 < SESSIE_INACTIEF_MINUTEN:
    raise ImproperlyConfigured(
        "SESSIE_INACTIEF_MINUTEN is minstens 3 en hoogstens SESSIE_MAXIMUM_UREN x 60."
    )
SESSION_COOKIE_AGE = SESSIE_MAXIMUM_UREN * 60 * 60
# Passwords as the NCSC advises: length over complexity (12 characters or more), no common
# passwords, nothing like the user's own name; no composition rules (so no
# NumericPasswordValidator either).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # Django's MinimumLengthValidator with its message in Dutch.
        "NAME": "reintegratie.accounts.views.MinimaleLengteValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Achtergrondtaken (django.tasks)
# Batch printing runs as a task in the database (django-tasks-db), picked up by
# `manage.py db_worker` on any host; its state and PDF are in the database too
# (afdrukken.Afdrukopdracht), so every web instance shows and serves them.
INSTALLED_APPS += ["django_tasks_db", "reintegratie.afdrukken"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A finished or failed batch (and its PDF, personal data) is removed this long after it
# finished, by `manage.py afdrukopdrachten_opschonen`.
AFDRUKKEN_BEWAAR_UREN = env.int("AFDRUKKEN_BEWAAR_UREN", default=24)
# A batch without progress for this long lost its worker: shown as failed, may be retried.
AFDRUKKEN_STIL_MINUTEN = env.int("AFDRUKKEN_STIL_MINUTEN", default=10)

# Taken: an expiring certificate (Instrumentinzet.geldig_tot) becomes a task for the
# klantmanager this many weeks ahead (reintegratie/taken/signalen.py).
TAKEN_CERTIFICAAT_WEKEN = env.int("TAKEN_CERTIFICAAT_WEKEN", default=6)
