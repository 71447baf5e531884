from django.conf import settings
from django.db import models
from django.utils import timezone


class Interaction(models.Model):
    """One conversation turn between a person and the assistant, kept as it was said."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interactions"
    )
    # Long enough for any real conversation turn, short enough to refuse a pasted novel; the
    # forms and the API schema read the limit from here.
    user_message = models.TextField(max_length=200_000)
    assistant_response = models.TextField(max_length=200_000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="interaction_user_latest"),
        ]

    def __str__(self) -> str:
        return f"Interaction {self.pk} of user {self.user_id}"


class ProfileRevision(models.Model):
    """The profile as it became after one change; the newest revision is the current profile."""

    class Source(models.TextChoices):
        PROFILER = "profiler", "profiler"
        USER = "user", "the person"
        ADMIN = "admin", "staff (admin)"
        API = "api", "API client"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile_revisions"
    )
    text = models.TextField(blank=True, help_text="The whole profile after this change.")
    source = models.CharField(max_length=16, choices=Source.choices)
    profiler = models.CharField(
        max_length=100, blank=True, help_text="The profiler that wrote it, when it was one."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="revision_user_latest"),
        ]

    def __str__(self) -> str:
        return f"Revision {self.pk} of user {self.user_id} by {self.source}"

    @property
    def author(self) -> str:
        """Who made this change, in words: "the rules profiler", "the person", ..."""
        if self.source == self.Source.PROFILER and self.profiler:
            return f"the {self.profiler} profiler"
        return self.get_source_display()


class RefreshState(models.Model):
    """Where one person's profile refresh stands, so a burst of turns costs one refresh.

    `requested_at` moves with every turn; `queued_at` is set while a refresh is queued or
    running. A refresh that finds `requested_at` moved while it ran queues exactly one more.
    A `queued_at` older than PROFILE_REFRESH_STALE_SECONDS is taken over by the next turn
    (its worker died).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="refresh_state",
    )
    requested_at = models.DateTimeField()
    queued_at = models.DateTimeField(null=True, blank=True)
    refreshes = models.PositiveIntegerField(default=0, help_text="Refreshes run so far.")

    def __str__(self) -> str:
        return f"Refresh state of user {self.user_id}"
