"""The page a sign-in link from a chat opens."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import services


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request, key: str):
    """GET asks (chat apps fetch links to draw previews: that must not spend the link);
    the person's POST spends it and signs them in. A browser signed in as someone else is
    told so, and switches only with the form's explicit confirmation."""
    link = services.find_sign_in_link(key)
    if link is None or not services.is_usable(link):
        return _refused(request, link is not None)
    current = request.user if request.user.is_authenticated else None
    if current is not None and current.pk == link.identity.user_id:
        return redirect("profiles:profile")
    confirmed = current is None or request.POST.get("switch") == "yes"
    if request.method != "POST" or not confirmed:
        status = HTTPStatus.OK if request.method != "POST" else HTTPStatus.CONFLICT
        return render(request, "bots/sign_in.html", {"current": current}, status=status)
    # One transaction: if signing in fails for any reason, the link is not spent.
    with transaction.atomic():
        user = services.use_sign_in_link(key)
        if user is None:
            return _refused(request, True)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("You are signed in. This is what the assistant knows about you."))
    return redirect("profiles:profile")


def _refused(request, known: bool):
    return render(
        request,
        "bots/sign_in_refused.html",
        {"known": known},
        status=HTTPStatus.GONE if known else HTTPStatus.NOT_FOUND,
    )
