"""The WSGI app the deploy benchmark serves: the project, plus one read of a user by id.

`/bench/user/<id>` reads a user through the ORM the way a release that predates
`user_profile` does (that column is deferred), so it works before and after the migration,
like the old release that keeps serving while a deploy migrates.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

django_application = get_wsgi_application()

from django.contrib.auth import get_user_model  # noqa: E402

PREFIX = "/bench/user/"


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if not path.startswith(PREFIX):
        return django_application(environ, start_response)
    user = get_user_model().objects.only("id", "username").get(pk=int(path[len(PREFIX) :]))
    body = user.username.encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
