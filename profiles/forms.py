from django import forms

from users.models import PROFILE_MAX_LENGTH

# Long enough for any real conversation turn, short enough to refuse a pasted novel.
MESSAGE_MAX_LENGTH = 200_000


class ProfileForm(forms.Form):
    user_profile = forms.CharField(
        label="Your profile",
        required=False,
        max_length=PROFILE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 14, "maxlength": PROFILE_MAX_LENGTH}),
        help_text=f"At most {PROFILE_MAX_LENGTH:,} characters. Leave empty to clear it.",
    )


class InteractionForm(forms.Form):
    user_message = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    assistant_response = forms.CharField(
        label="The assistant's reply",
        max_length=MESSAGE_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
