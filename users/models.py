import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

# People a bot meets get a generated username in a namespace website sign-up cannot use, so a
# stranger can never register the name a chat person will get (see users.forms).
CHAT_USERNAME_PREFIX = "chat-"


def new_chat_username() -> str:
    return CHAT_USERNAME_PREFIX + secrets.token_hex(10)


class User(AbstractUser):
    """A person who talks to the assistant; `user_profile` is what it has learned about them."""

    # Nullable with no default, so adding it is a metadata-only ALTER TABLE on PostgreSQL and
    # NULL means "never profiled". A TextField, not a CharField: max_length is enforced where
    # text enters (forms, the API schema and the services read it from here), never by the
    # column, so changing the limit never rewrites the table.
    user_profile = models.TextField(  # noqa: DJ001
        _("dynamic profile"),
        null=True,
        blank=True,
        max_length=4000,
        help_text=_(
            "A dynamic profile of this person: how they communicate, what they care about "
            "and how they like answers. Regenerated after every recorded interaction."
        ),
    )
    # Kept with the text (the time of its latest revision), so reading a profile with its
    # age is one row, not a row and a subquery.
    profile_updated_at = models.DateTimeField(
        _("profile updated at"), null=True, blank=True, editable=False
    )
