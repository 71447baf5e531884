"""gunicorn's settings for this service; gunicorn reads this file from the working directory.

Threaded workers: a client that stalls while sending its body holds one thread, not a whole
worker, and only until READ_TIMEOUT (config/wsgi.py). bench/slow_clients.py measured the
choice against sync and ASGI workers (README, "Serving").
"""

import os

import gunicorn.http.wsgi
from gunicorn.glogging import Logger

from config.redaction import RedactSecrets

# No --bind: gunicorn listens on 0.0.0.0:$PORT when PORT is set (Render sets it), so the start
# command needs no shell to expand it; 127.0.0.1:8000 otherwise.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "16"))
# workers: gunicorn reads WEB_CONCURRENCY itself.
timeout = 30  # a worker silent this long is restarted
keepalive = 5
accesslog = "-"
errorlog = "-"


class RedactingLogger(Logger):
    """gunicorn's logger, with sign-in link keys redacted from the access and error logs."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactSecrets) for f in log.filters):  # setup reruns
                log.addFilter(RedactSecrets())


logger_class = RedactingLogger

# The Server header names no software: "gunicorn" tells an attacker what to look up.
gunicorn.http.wsgi.SERVER = "server"
