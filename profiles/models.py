from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Interaction(models.Model):
    """One conversation turn between a person and the assistant, kept as it was said."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="interactions",
        verbose_name=_("user"),
    )
    # Long enough for any real conversation turn, short enough to refuse a pasted novel; the
    # forms and the API schema read the limit from here.
    user_message = models.TextField(_("user message"), max_length=200_000)
    assistant_response = models.TextField(_("assistant response"), max_length=200_000)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    # True until a profiler has been shown the turn (then NULL, like every turn stored before
    # this field): a flag per turn, because turns of one person may commit out of order. A
    # database default, so turns an older release stores during a deploy wait too.
    pending = models.BooleanField(
        _("waiting for the profiler"), null=True, db_default=True, editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="interaction_user_latest"),
        ]

    def __str__(self) -> str:
        return f"Interaction {self.pk} of user {self.user_id}"


class ProfileRevision(models.Model):
    """The profile as it became after one change; the newest revision is the current profile."""

    class Source(models.TextChoices):
        PROFILER = "profiler", _("profiler")
        USER = "user", _("the person")
        ADMIN = "admin", _("staff (admin)")
        API = "api", _("API client")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile_revisions",
        verbose_name=_("user"),
    )
    text = models.TextField(
        _("text"), blank=True, help_text=_("The whole profile after this change.")
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    profiler = models.CharField(
        _("profiler"),
        max_length=100,
        blank=True,
        help_text=_("The profiler that wrote it, when it was one."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("profile revision")
        verbose_name_plural = _("profile revisions")
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="revision_user_latest"),
        ]

    def __str__(self) -> str:
        return f"Revision {self.pk} of user {self.user_id} by {self.source}"

    @property
    def author(self) -> str:
        """Who made this change, in words: "the rules profiler", "the person", ..."""
        if self.source == self.Source.PROFILER and self.profiler:
            # The profilers shipped here have names in every language; one of your own is
            # called by the name it stores.
            shipped = {"rules": gettext("the rules profiler"), "llm": gettext("the LLM profiler")}
            return shipped.get(self.profiler) or gettext("the %(name)s profiler") % {
                "name": self.profiler
            }
        return str(self.get_source_display())


class RefreshState(models.Model):
    """Where one person's profile refresh stands, so a burst of turns costs one refresh.

    `queued_at` is set while a refresh is queued or running, `requested_at` (kept for the
    record) when one was last queued. A refresh that succeeds while turns it has not shown a
    profiler wait (Interaction.pending) queues exactly one more.
    `lease_until` is when that refresh counts as lost (its worker died, the queue lost it):
    PROFILE_REFRESH_LEASE_SECONDS past its due time, renewed while it runs. The next turn
    after it takes over.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="refresh_state",
        verbose_name=_("user"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    refreshes = models.PositiveIntegerField(
        _("refreshes"), default=0, help_text=_("Refreshes run so far.")
    )

    class Meta:
        verbose_name = _("refresh state")
        verbose_name_plural = _("refresh states")

    def __str__(self) -> str:
        return f"Refresh state of user {self.user_id}"
