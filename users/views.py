from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .forms import DeleteAccountForm, SignUpForm


def signup(request):
    if request.user.is_authenticated:
        return redirect("profiles:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}.")
        return redirect("profiles:profile")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        # Interactions, revisions and sessions go with the row (ON DELETE CASCADE in Django).
        user.delete()
        messages.success(request, "Your account and everything stored about you are deleted.")
        return redirect("home")
    return render(request, "accounts/delete_account.html", {"form": form})
