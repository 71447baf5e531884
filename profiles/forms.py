from django import forms

from .models import Interaction
from .text import PROFILE_MAX_LENGTH


class ProfileForm(forms.Form):
    user_profile = forms.CharField(
        label="Your profile",
        required=False,
        max_length=PROFILE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=f"At most {PROFILE_MAX_LENGTH:,} characters. Leave empty to clear it.",
    )


def _turn_field(name: str, label: str) -> forms.CharField:
    # Not stripped: a turn is kept exactly as it was said.
    return Interaction._meta.get_field(name).formfield(
        label=label, strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class InteractionForm(forms.Form):
    user_message = _turn_field("user_message", "Your message")
    assistant_response = _turn_field("assistant_response", "The assistant's reply")
