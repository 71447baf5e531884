from django.contrib.auth.models import AbstractUser
from django.db import models

PROFILE_MAX_LENGTH = 4000


class User(AbstractUser):
    """A person who talks to the assistant; `user_profile` is what it has learned about them."""

    # Nullable with no default, so adding it is a metadata-only ALTER TABLE on PostgreSQL and
    # NULL means "never profiled". A TextField, not CharField(max_length): the 4,000-character
    # limit is enforced where text enters, and changing it must never need a table rewrite.
    user_profile = models.TextField(  # noqa: DJ001
        null=True,
        blank=True,
        help_text=(
            f"A dynamic profile of this person, at most {PROFILE_MAX_LENGTH:,} characters: "
            "how they communicate, what they care about and how they like answers. "
            "Regenerated after every recorded interaction."
        ),
    )
