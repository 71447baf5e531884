"""The page a sign-in link from a chat opens."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import services


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request, key: str):
    """GET asks (chat apps fetch links to draw previews: that must not spend the link);
    the person's POST spends it and signs them in."""
    if request.method == "POST":
        user = services.use_sign_in_link(key)
        if user is None:
            return _refused(request, services.find_sign_in_link(key) is not None)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, _("You are signed in. This is what the assistant knows about you.")
        )
        return redirect("profiles:profile")
    link = services.find_sign_in_link(key)
    if link is None or not services.is_usable(link):
        return _refused(request, link is not None)
    return render(request, "bots/sign_in.html")


def _refused(request, known: bool):
    return render(
        request,
        "bots/sign_in_refused.html",
        {"known": known},
        status=HTTPStatus.GONE if known else HTTPStatus.NOT_FOUND,
    )
