"""Pages where a person sees, corrects, exports or erases what the assistant believes."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from users.forms import DeleteAccountForm

from . import selectors, services
from .forms import InteractionForm, ProfileForm
from .models import ProfileRevision

Source = ProfileRevision.Source


def signs_out_if_erased(view):
    """Sign out, rather than fail, when the person was erased (in another tab) while this
    request was writing for them: their row was locked, then gone."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (IntegrityError, ObjectDoesNotExist):
            if get_user_model().objects.filter(pk=request.user.pk).exists():
                raise
        logout(request)
        messages.info(request, _("Your account and everything stored about you are deleted."))
        return redirect("home")

    return wrapper


@require_safe
def home(request):
    """The landing page, or straight to the profile for someone logged in."""
    if request.user.is_authenticated:
        return redirect("profiles:profile")
    return render(request, "home.html")


def _profile_page(request, interaction_form, status=200):
    return render(
        request,
        "profiles/profile.html",
        {
            "last_change": request.user.profile_revisions.first(),
            "interactions": request.user.interactions.all()[:10],
            "interaction_form": interaction_form,
        },
        status=status,
    )


@never_cache
@require_safe
@login_required
def profile(request):
    return _profile_page(request, InteractionForm())


@never_cache
@login_required
@signs_out_if_erased
def edit(request):
    form = ProfileForm(request.POST or None, initial={"user_profile": request.user.user_profile})
    if request.method == "POST" and form.is_valid():
        services.update_profile(
            user=request.user, text=form.cleaned_data["user_profile"], source=Source.USER
        )
        messages.success(request, _("Your profile is saved."))
        return redirect("profiles:profile")
    return render(request, "profiles/edit.html", {"form": form})


@never_cache
@login_required
@signs_out_if_erased
def clear(request):
    if request.method == "POST":
        services.clear_profile(user=request.user, source=Source.USER)
        messages.success(request, _("Your profile is cleared. Its history is kept."))
        return redirect("profiles:profile")
    return render(request, "profiles/clear.html")


@never_cache
@require_POST
@login_required
@signs_out_if_erased
def record(request):
    form = InteractionForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, form, status=400)
    services.record_interaction(user=request.user, **form.cleaned_data)
    messages.success(request, _("Interaction recorded. Your profile updates in the background."))
    return redirect("profiles:profile")


@never_cache
@require_safe
@login_required
def history(request):
    revisions = request.user.profile_revisions.all()
    page = Paginator(revisions, 20).get_page(request.GET.get("page"))
    return render(request, "profiles/history.html", {"page": page})


@never_cache
@require_POST
@login_required
@signs_out_if_erased
def revert(request, revision_id: int):
    # Only the person's own revisions exist for them: anyone else's is a 404.
    revision = get_object_or_404(ProfileRevision, pk=revision_id, user=request.user)
    services.revert_profile(revision=revision, source=Source.USER)
    messages.success(request, _("Your profile is back to that version."))
    return redirect("profiles:history")


@never_cache
@require_safe
@login_required
def export(request):
    # Streamed: a history of any size is sent as it is read, never held in memory whole.
    response = StreamingHttpResponse(
        selectors.export_user_data(request.user), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="profile-export-{stamp}.json"'
    return response


@never_cache
@sensitive_post_parameters("password")
@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.erase_user(user_id=request.user.pk)
        # Signed out only once the deletion has committed: if it fails, the person is still
        # signed in and can try again.
        logout(request)
        messages.success(request, _("Your account and everything stored about you are deleted."))
        return redirect("home")
    return render(request, "accounts/delete_account.html", {"form": form})
