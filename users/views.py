from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .forms import AccountForm, SignUpForm


@never_cache
@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect("profiles:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (user := form.save_unless_taken()):
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome, %(name)s.") % {"name": user.username})
        return redirect("profiles:profile")
    return render(request, "accounts/signup.html", {"form": form})


@never_cache
@login_required
def account(request):
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid() and form.save_unless_taken():
        messages.success(request, _("Your account is saved."))
        return redirect("account")
    return render(request, "accounts/account.html", {"form": form})


@method_decorator(never_cache, name="dispatch")
class PasswordView(auth_views.PasswordChangeView):
    """Change the password, or set a first one for someone who came from a chat link."""

    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def get_form_class(self):
        return PasswordChangeForm if self.request.user.has_usable_password() else SetPasswordForm
