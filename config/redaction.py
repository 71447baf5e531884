"""Keep sign-in link keys out of logs: a key in a log line is a way into someone's account.

Django's log handlers (LOGGING in settings) and gunicorn's error and access logs
(gunicorn.conf.py) pass every record through RedactSecrets. This module imports nothing of
Django's, so gunicorn's master process can load it before the application.
"""

import logging
import re
from urllib.parse import unquote

# The sign-in link pages' URL prefix (config/urls.py mounts bots.urls here).
SIGN_IN_PREFIX = "sign-in/"
_KEY = re.compile(rf"/{re.escape(SIGN_IN_PREFIX)}[^/\s?#\"'<>]+", re.IGNORECASE)
REDACTED = f"/{SIGN_IN_PREFIX}<redacted>"


def redact(text: str) -> str:
    """`text` with every sign-in link key replaced by `<redacted>`.

    Servers decode %-escapes before routing (/sign-in%2F<key>/ opens the link), so a line
    that holds a key only once decoded is logged decoded, with the key replaced.
    """
    text = _KEY.sub(REDACTED, text)
    decoded = unquote(text)
    return _KEY.sub(REDACTED, decoded) if _KEY.search(decoded) else text


class RedactSecrets(logging.Filter):
    """Rewrite a record's message and traceback with sign-in link keys redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
