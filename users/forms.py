from django import forms
from django.contrib.auth.forms import UserCreationForm
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


class SignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("Email address"), required=True)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_username(self):
        return refuse_reserved_username(super().clean_username())


class AccountForm(forms.ModelForm):
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
