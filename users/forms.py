from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from .models import CHAT_USERNAME_PREFIX, User


def refuse_reserved_username(username: str | None) -> str | None:
    """Keep website names out of the namespace of people created for bots."""
    if username and User.normalize_username(username).casefold().startswith(CHAT_USERNAME_PREFIX):
        raise forms.ValidationError(
            _("Usernames starting with “%(prefix)s” are reserved; choose another."),
            code="reserved",
            params={"prefix": CHAT_USERNAME_PREFIX},
        )
    return username


class SavesUsernameForm(forms.ModelForm):
    """A form that saves a username it checked moments before, which another request may take
    in between: that loser gets Django's own "already exists" error instead of a 500."""

    def save_unless_taken(self) -> User | None:
        """Save and return the user, or add the field error and return None, writing nothing."""
        try:
            with transaction.atomic():
                return self.save()
        except IntegrityError:
            username = self.cleaned_data["username"]
            if not User.objects.filter(username=username).exclude(pk=self.instance.pk).exists():
                raise
            self.add_error("username", self.instance.unique_error_message(User, ["username"]))
            return None


class SignUpForm(SavesUsernameForm, UserCreationForm):
    email = forms.EmailField(label=_("Email address"), required=True)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_username(self):
        return refuse_reserved_username(super().clean_username())


class AccountForm(SavesUsernameForm):
    """The name and email a person signs in with on the website."""

    class Meta:
        model = User
        fields = ("username", "email")

    def clean_username(self):
        username = self.cleaned_data["username"]
        if username == self.instance.username:  # keeping a generated name is fine
            return username
        return refuse_reserved_username(username)


class DeleteAccountForm(forms.Form):
    """Confirm with the password, or with a tick for someone who never set one (a chat person)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(label=_("Yes, delete my account and everything stored about me"))

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        del self.fields["confirm" if user.has_usable_password() else "password"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password
