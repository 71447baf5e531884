"""Settings for the whole service: one module, every deploy difference from the environment.

The README's "Configuration" table lists every variable read here.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; a typo fails loudly instead of silently meaning "no"."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_list(name: str) -> list[str]:
    """Read a comma-separated variable, ignoring blanks around the commas."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_number(name: str, default: int | None, kind: type = int):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = -1
    if not value >= 0:  # also refuses NaN
        raise ImproperlyConfigured(f"{name} must be a number of 0 or more, not {raw!r}.")
    return value


def env_choice(name: str, choices: dict[str, str], default: str) -> str:
    """Map a short name to a dotted path; a dotted path of your own is accepted as it is."""
    raw = os.environ.get(name, "").strip() or default
    if raw in choices:
        return choices[raw]
    if "." in raw:
        return raw
    raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {raw!r}.")


DEBUG = env_bool("DEBUG", False)

# Required to serve (config/startup.py refuses to start the web app without it), not to run
# commands that sign nothing, such as makemigrations or migrate.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
RENDER_EXTERNAL_HOSTNAME = os.environ.get("RENDER_EXTERNAL_HOSTNAME")
if RENDER_EXTERNAL_HOSTNAME:
    ALLOWED_HOSTS.append(RENDER_EXTERNAL_HOSTNAME)

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
if RENDER_EXTERNAL_HOSTNAME:
    CSRF_TRUSTED_ORIGINS.append(f"https://{RENDER_EXTERNAL_HOSTNAME}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_rq",  # rqworker, for TASKS_BACKEND=rq
    "ninja",  # serves the API docs page from its own static files, not a CDN
    "axes",
    "csp",
    "users",
    "profiles",
    "bots",
    "schemaguard",
]

MIDDLEWARE = [
    # First: /healthz and /readyz answer whatever the Host header and over plain HTTP.
    "schemaguard.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "config.middleware.RequestBodyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside the CSRF and language middleware: its page gets their cookie and language.
    "config.middleware.MethodNotAllowedPageMiddleware",
    "config.middleware.ApiAnswersMiddleware",
    "users.signin.KnownDeviceMiddleware",
    # Last: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Unset DATABASE_URL means the embedded SQLite file, so `make run` needs no server.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_number("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out address or account before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "profiles:profile"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Background work (the Django tasks API). `immediate` runs a task in-process right after the
# transaction commits; `database` queues it for `python manage.py durable_db_worker`.
TASKS = {
    "default": {
        "BACKEND": env_choice(
            "TASKS_BACKEND",
            {
                "immediate": "django_tasks.backends.immediate.ImmediateBackend",
                "database": "django_tasks_db.DatabaseBackend",
                "rq": "django_tasks_rq.RQBackend",
            },
            "immediate",
        )
    }
}

# TASKS_BACKEND=rq: Redis (Render Key Value) and `manage.py durable_rqworker --with-scheduler`.
RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}
# No django-rq dashboard in the admin: it lets any staff user empty queues and delete jobs,
# whatever their permissions.
RQ_SHOW_ADMIN_LINK = False

# Dynamic profiling. The profiler is loaded with import_string, like an auth backend.
PROFILER = env_choice(
    "PROFILER",
    {
        "rules": "profiles.profilers.rules.RulesProfiler",
        "llm": "profiles.profilers.llm.LLMProfiler",
    },
    "rules",
)
# The rules profiler's topic lexicon: the dotted path of a {topic: (words, ...)} dict (by lemma).
PROFILER_TOPICS = os.environ.get("PROFILER_TOPICS", "profiles.profilers.rules.TOPIC_STEMS")
PROFILER_RETRIES = env_number("PROFILER_RETRIES", 3)
# Coalescing: a burst of turns costs one refresh (profiles.services.request_refresh). On the
# database queue a refresh waits this many seconds for the rest of a burst. A queued or running
# refresh holds a lease this many seconds past its due time, renewed while the profiler runs;
# once it lapses (the worker died, the queue lost the job) the next turn queues a new refresh.
PROFILE_REFRESH_DEBOUNCE = env_number("PROFILE_REFRESH_DEBOUNCE", 2, float)
PROFILE_REFRESH_LEASE_SECONDS = env_number("PROFILE_REFRESH_LEASE_SECONDS", 60, float)
# A refresh shows the profiler every turn it has not seen, oldest first, in batches of at most
# this many characters (a longer turn is cut to it): several profiler calls work through a
# longer backlog, the profile carried from one to the next.
PROFILER_BATCH_CHARS = env_number("PROFILER_BATCH_CHARS", 20_000)
# Retention (python manage.py prune_interactions, daily on Render): an interaction older than
# INTERACTIONS_MAX_AGE_DAYS is deleted unless it is among its person's INTERACTIONS_KEEP_LATEST
# newest; finished task rows go after TASK_RESULTS_MAX_AGE_DAYS. Profiles are never pruned.
INTERACTIONS_KEEP_LATEST = env_number("INTERACTIONS_KEEP_LATEST", 100)
INTERACTIONS_MAX_AGE_DAYS = env_number("INTERACTIONS_MAX_AGE_DAYS", 365)
TASK_RESULTS_MAX_AGE_DAYS = env_number("TASK_RESULTS_MAX_AGE_DAYS", 7)
PROFILER_RETRY_DELAY = env_number("PROFILER_RETRY_DELAY", 30, float)
LLM_BASE_URL = os.environ.get("LLM_BASE_URL", "https://api.openai.com/v1")
LLM_API_KEY = os.environ.get("LLM_API_KEY", "")
LLM_MODEL = os.environ.get("LLM_MODEL", "")
LLM_TIMEOUT = env_number("LLM_TIMEOUT", 30, float)
LLM_MAX_RETRIES = env_number("LLM_MAX_RETRIES", 2)

# Sign-in throttling (django-axes; the policy is in users/signin.py). Both login pages count;
# failed API tokens count apart (per address only) and throttle only the API.
AXES_HANDLER = "users.signin.SignInHandler"
AXES_FAILURE_LIMIT = env_number("SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_number("SIGN_IN_LOCKOUT_MINUTES", 15, float))
AXES_LOCKOUT_PARAMETERS = "users.signin.lockout_parameters"
AXES_CLIENT_IP_CALLABLE = "users.signin.client_address"
AXES_USERNAME_CALLABLE = "users.signin.attempted_username"
AXES_LOCKOUT_CALLABLE = "users.signin.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # lockouts are still logged, as warnings
# Failures while locked out do not extend the lockout: it always ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Its admin pages are registered by users/admin.py, under Django's model permissions.
AXES_ENABLE_ADMIN = False
# How many proxies in front append to X-Forwarded-For (Render: 1). 0: use the peer address.
TRUSTED_PROXY_HOPS = env_number("TRUSTED_PROXY_HOPS", 0)
# Retention (prune_interactions): django-axes' records of sign-ins and failed attempts.
SIGN_IN_RECORDS_MAX_AGE_DAYS = env_number("SIGN_IN_RECORDS_MAX_AGE_DAYS", 30)
# More retention for prune_interactions: functions deleting what has expired, returning a count
# (apps profiles cannot import register here).
PRUNERS = ["bots.services.prune_idempotency_keys"]

# Seconds a request body may take to arrive (gunicorn; config/wsgi.py). 0 turns it off.
REQUEST_READ_TIMEOUT = env_number("REQUEST_READ_TIMEOUT", 10, float)

# Bots. How long a sign-in link a bot sends a person stays valid, in seconds.
SIGN_IN_LINK_MAX_AGE = env_number("SIGN_IN_LINK_MAX_AGE", 15 * 60)
# How long a process trusts a token it has checked; a revocation takes at most this long.
API_TOKEN_CACHE_SECONDS = env_number("API_TOKEN_CACHE_SECONDS", 5, float)
# Hours a turn's Idempotency-Key is remembered: a retry within them is answered, not stored.
API_IDEMPOTENCY_WINDOW_HOURS = env_number("API_IDEMPOTENCY_WINDOW_HOURS", 24)

# schemaguard (its manual: schemaguard/README.md): the lock-safe migrate, migration checks,
# deploy phases, /readyz. Only what the environment sets is passed: schemaguard.conf holds
# the defaults. Our migrations up to EXEMPT_UNTIL were written before the checks.
SCHEMAGUARD = {
    key: value
    for key, value in {
        "LOCK_TIMEOUT": env_number("MIGRATE_LOCK_TIMEOUT", None, float),
        "STATEMENT_TIMEOUT": env_number("MIGRATE_STATEMENT_TIMEOUT", None, float),
        "RETRIES": env_number("MIGRATE_RETRIES", None),
        "RETRY_DELAY": env_number("MIGRATE_RETRY_DELAY", None, float),
        "SMALL_TABLE_ROWS": env_number("SCHEMAGUARD_SMALL_TABLE_ROWS", None),
        "RELEASE_SEEN_SECONDS": env_number("SCHEMAGUARD_RELEASE_SEEN_SECONDS", None),
        "READYZ_CACHE_SECONDS": env_number("READYZ_CACHE_SECONDS", None, float),
    }.items()
    if value is not None
} | {
    "EXEMPT_UNTIL": {
        "users": "0004_user_profile_updated_at",
        "profiles": "0005_backfill_profile_updated_at",
        "bots": "0003_apitoken_client_required",
    },
}

# Pages, forms, messages and the admin speak the browser's language (Accept-Language) or the
# one chosen with the switcher at the foot of every page (kept in a cookie); English when
# neither is one of LANGUAGES. The rules profiler writes each profile in the language its
# person writes in. Russian comes from the catalog in locale/: adding a language is adding a
# catalog and a line here. The JSON API stays English.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS. Render terminates TLS at its proxy and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = SECURE_SSL_REDIRECT
    CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT
    LANGUAGE_COOKIE_SECURE = SECURE_SSL_REDIRECT
    SECURE_HSTS_SECONDS = env_number("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# The pages run no JavaScript of ours; the admin and the API docs page load scripts from
# our own static files only. Nothing is loaded from another host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "fullscreen", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
        "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock",
        "usb", "xr-spatial-tracking",
    )
}  # fmt: skip

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    # Sign-in link keys never reach a log line (Django logs "Not Found: /sign-in/<key>/").
    "filters": {"redact": {"()": "config.redaction.RedactSecrets"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
            "filters": ["redact"],
        },
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO").upper()},
    # django-axes narrates every failed sign-in at INFO; lockouts are warnings.
    "loggers": {
        "axes": {"level": "WARNING"},
        # Django's own handlers would print without the filter: everything goes to stdout.
        "django": {"handlers": []},
        "django.server": {"handlers": [], "propagate": True},
    },
}
