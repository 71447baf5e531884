from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Interaction
from .text import PROFILE_MAX_LENGTH, normalise_newlines


class TextField(forms.CharField):
    """Browsers count a line break as one character but send it as \r\n: normalise before
    the length check, so text that fits the page's limit fits the server's too."""

    def to_python(self, value):
        return normalise_newlines(super().to_python(value))


class ProfileForm(forms.Form):
    user_profile = TextField(
        label=_("Your profile"),
        required=False,
        max_length=PROFILE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 14}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, in the language of the request, with its digit grouping.
        self.fields["user_profile"].help_text = gettext(
            "At most %(limit)s characters. Leave empty to clear it."
        ) % {"limit": number_format(PROFILE_MAX_LENGTH, force_grouping=True)}


def _turn_field(name: str, label: str) -> forms.CharField:
    # Not stripped: a turn is kept exactly as it was said.
    return Interaction._meta.get_field(name).formfield(
        form_class=TextField, label=label, strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class InteractionForm(forms.Form):
    user_message = _turn_field("user_message", _("Your message"))
    assistant_response = _turn_field("assistant_response", _("The assistant's reply"))
