"""Settings for livinglab, read from the environment.

Defaults make `make run` work on a laptop with nothing else installed: SQLite in WAL
mode and an in-process channel layer. `DATABASE_URL` and `REDIS_URL` switch to
PostgreSQL and Redis without touching code (docs/deployment.md).
"""

import ipaddress
import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Under pytest the live test servers speak plain HTTP on loopback: no TLS redirect,
# no HSTS, plain static files, a fast password hasher. Nothing else changes.
TESTING = "pytest" in sys.modules
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # Like pretix: a self-hosted install gets its own random key, kept beside the data.
    _key_file = Path(os.environ.get("SECRET_KEY_FILE", BASE_DIR / ".secret_key"))
    if not _key_file.exists():
        import secrets

        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
# Peers whose X-Forwarded-For is believed (addresses or CIDRs, e.g. the local nginx:
# "127.0.0.1,::1"). Empty: the header is ignored (livinglab/addresses.py, docs/api.md).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)  # a typo stops the start, not every request
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "ateliers",
    "projets",
    "webhooks",
    "api",
    "frontend",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and JSON compressed for old phones on weak links (static files come
    # pre-compressed from whitenoise). Django's GZip pads responses with random bytes
    # ("Heal the BREACH") and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "frontend.middleware.LanguageQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "frontend.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "livinglab.urls"
ASGI_APPLICATION = "livinglab.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
SQLITE_PATH = os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the single writer; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue on the busy timeout instead of failing mid-transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_PATH") or None}
    # Keep connections open: when the last connection to a WAL database closes, SQLite
    # checkpoints and fsyncs, which made every board write over WebSocket ~25 ms slower
    # (daphne closes the connection after each request or database_sync_to_async call).
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("SQLITE_CONN_MAX_AGE", "600"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "ateliers.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "frontend:login"
LOGIN_REDIRECT_URL = "frontend:home"
LOGOUT_REDIRECT_URL = "frontend:home"

# --- Redis: channel layer and cache -------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# Fail fast while Redis is down (no multi-second retries holding a request or the
# layer's shard lock): both the cache and the layer only speed things up, the
# database is the truth (docs/deployment.md, "When Redis goes away").
REDIS_CONNECTION_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
}
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # The pub/sub layer: a group send is one PUBLISH to every process that has a
            # member in the room, not one list write per member (the core layer), and
            # nothing is queued in Redis: a missed push is caught up from the log by seq.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, **REDIS_CONNECTION_OPTIONS}]},
        }
    }
    CACHES = {
        "default": {
            # Throttle counters and the snapshot cache; a miss (never a 500) while down.
            "BACKEND": "livinglab.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_CONNECTION_OPTIONS,
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "ateliers.realtime.layers.LocalChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Internationalisation ------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Toronto")
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING or env_bool("LIVINGLAB_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or env_bool("LIVINGLAB_PLAIN_STATIC")

# --- Site address and e-mail ---------------------------------------------------------
# The public address (https://host, no path) of every link in e-mails and calendar
# feeds; never taken from a request's Host header. check --deploy warns when missing.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "livinglab <noreply@localhost>")
# Who gets the failure alerts of the timers (backups, queue): ADMINS=a@x.org,b@y.org
ADMINS = [(address, address) for address in env_list("ADMINS")]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Outgoing mail goes through a database queue drained by `manage.py send_queued_mail`
# (ateliers/services/outbox.py). With DEBUG (make run, no worker) and in tests, a message
# is also tried right after commit.
EMAIL_QUEUE = {"SEND_ON_COMMIT": env_bool("EMAIL_SEND_ON_COMMIT", DEBUG or TESTING)}

# --- Webhooks (docs/webhooks.md) -------------------------------------------------------
# Off by default: a hook may not call loopback, private, link-local or reserved addresses.
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)

# --- Security ------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers and supervisors probe it over plain HTTP on loopback.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS preload is a promise to browser vendors that only the operator can make
# (SECURE_HSTS_PRELOAD=1); not making it by default is not a weakness.
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", "security.W021")

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# --- REST framework ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerParticipantAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        # No multipart: the API takes no files, and daphne (twisted) parses multipart
        # bodies itself, answering a bare non-JSON 400 to a malformed one (the fuzzer).
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    # docs/api.md#throttles: per address (livinglab/addresses.py) for login/sign-up/join,
    # per (username, address) for login, per token for writes (a room
    # of 300 shares one NAT address). THROTTLE_*=off disables a scope (the fuzz server).
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.WritesThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        scope: (None if rate.lower() in ("off", "none", "0") else rate)
        for scope, rate in {
            "login": os.environ.get("THROTTLE_LOGIN", "30/min"),
            "login_pair": os.environ.get("THROTTLE_LOGIN_PAIR", "10/min"),
            # wrong join codes per address; right ones are never counted (issue 14)
            "join": os.environ.get("THROTTLE_JOIN", "120/min"),
            "join_code": os.environ.get("THROTTLE_JOIN_CODE", "5000/hour"),
            "signup": os.environ.get("THROTTLE_SIGNUP", "10/min"),
            "writes": os.environ.get("THROTTLE_WRITES", "120/min"),
        }.items()
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "livinglab API",
    "DESCRIPTION": "Open social-innovation workshops: events, live ideas board, help "
    "requests, consultation schedule and living-lab projects.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No deep links: each would be a link nested in the operation's button (axe).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per choice set, so clients see stable enum names.
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "ateliers.choices.Language",
        "InterfaceLanguageEnum": "ateliers.choices.INTERFACE_LANGUAGES",
        "EventStatusEnum": "ateliers.choices.EventStatus",
        "RegistrationRoleEnum": "ateliers.choices.RegistrationRole",
        "MembershipRoleEnum": "ateliers.choices.MembershipRole",
        "HelpStatusEnum": "ateliers.choices.HelpStatus",
        "ScheduleStatusEnum": "ateliers.choices.ScheduleStatus",
        "IdeaStatusEnum": "ateliers.choices.IdeaStatus",
        "UrgencyEnum": "ateliers.choices.Urgency",
        "HelpFormatEnum": "ateliers.choices.HelpFormat",
        "SlotKindEnum": "ateliers.choices.SlotKind",
        "ModerationActionEnum": "ateliers.choices.ModerationAction",
        "ModeratorRoleEnum": "ateliers.choices.ModeratorRole",
        "PollKindEnum": "ateliers.choices.PollKind",
        "PollStatusEnum": "ateliers.choices.PollStatus",
        "PhaseEnum": "projets.choices.Phase",
        "VisibilityEnum": "projets.choices.Visibility",
        "ProjectRoleEnum": "projets.choices.ProjectRole",
        "RoleEnum": "ateliers.choices.Role",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.allow_blank_formats",
        "api.schema.document_error_responses",
    ],
}

# --- Board -----------------------------------------------------------------------------
LIVINGLAB = {
    "WS_MAX_MESSAGE_BYTES": 16 * 1024,
    "WS_RATE_PER_SECOND": 10,
    "WS_RATE_BURST": 30,
    # Open board sockets per token (per daphne process): tabs and reconnects, not 8
    # sockets writing in parallel; writes share one budget anyway (THROTTLE_WRITES).
    "WS_SOCKETS_PER_TOKEN": int(os.environ.get("WS_SOCKETS_PER_TOKEN", 10)),
    # Open board sockets per client address (per daphne process). A venue's phones share
    # one address: thousands must fit; 5,000 is more than one process serves anyway.
    "WS_SOCKETS_PER_ADDRESS": int(os.environ.get("WS_SOCKETS_PER_ADDRESS", 5000)),
    "BOARD_REPLAY_LIMIT": 500,
    # No board message or body over 256 KiB (CONTRACT.md): a board state comes in parts
    # of at most BOARD_PART_BYTES; the first (first paint) holds the pinned ideas and
    # the BOARD_HEAD_IDEAS_PER_THEME most supported of each theme (docs/protocol.md).
    "BOARD_PART_BYTES": int(os.environ.get("BOARD_PART_BYTES", 192 * 1024)),
    "BOARD_HEAD_IDEAS_PER_THEME": 10,
    # Anonymous board reads answered per second per process, and at once (a burst):
    # more wait their turn (api/board_read.py), so a crowd or a script reading in a loop
    # cannot take the event loop from the room's writes; one that would wait longer
    # than ANONYMOUS_BOARD_READ_MAX_WAIT seconds gets 429 with Retry-After.
    "ANONYMOUS_BOARD_READS_PER_SECOND": float(
        os.environ.get("ANONYMOUS_BOARD_READS_PER_SECOND", 150)
    ),
    "ANONYMOUS_BOARD_READ_BURST": 50,
    "ANONYMOUS_BOARD_READ_MAX_WAIT": 10,
    "BOARD_PART_MAX_ROWS": 2000,
    "VOTE_COALESCE_SECONDS": 0.3,
    "PARTICIPANT_TOKEN_MAX_AGE": 60 * 60 * 24 * 30,
}

# --- The expert's day (issue 19; docs/schedule.md, docs/help-requests.md) ----------------
# A per-meeting online room for remote consultations, e.g. a self-hosted Jitsi:
# "https://meet.example.org/livinglab-{event}-{round}-{table}-{key}" ({key}: a secret per
# meeting place, so rooms cannot be guessed). Empty: no link.
SCHEDULE_ONLINE_URL_TEMPLATE = os.environ.get("SCHEDULE_ONLINE_URL_TEMPLATE", "")
HELP_OFFER_MINUTES = float(os.environ.get("HELP_OFFER_MINUTES", "30"))
HELP_ESCALATION_MINUTES = tuple(
    float(x) for x in os.environ.get("HELP_ESCALATION_MINUTES", "15,30").split(",")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
