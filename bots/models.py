"""The chat bots' side: who calls the API, and how each of them knows people."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Client(models.Model):
    """A bot (or any program) calling the API. People it meets are known by its own ids."""

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("The bot's name."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A bearer token of one client; only its SHA-256 hash is stored.

    A client may hold several (rotate by creating a new one, then revoking the old).
    """

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="tokens", verbose_name=_("client")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("prefix"),
        max_length=12,
        editable=False,
        help_text=_("The token's first characters, to recognise it."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.client} ({self.prefix}…)"


class Identity(models.Model):
    """A person as one client knows them: by the client's own opaque id (a Telegram user id...).

    The id means nothing outside its client: two clients may use the same id for two people,
    and no id ever names a website account.
    """

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="identities", verbose_name=_("client")
    )
    external_id = models.CharField(_("external id"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bot_identities",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["client", "external_id"]
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "external_id"], name="identity_unique_per_client"
            )
        ]

    def __str__(self) -> str:
        return f"{self.external_id} at {self.client}"


class SignInLink(models.Model):
    """A one-time link a bot sends a person so they can open their own pages."""

    identity = models.ForeignKey(
        Identity, on_delete=models.CASCADE, related_name="sign_in_links", verbose_name=_("identity")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self) -> str:
        return f"Sign-in link {self.pk} for {self.identity}"


class IdempotencyKey(models.Model):
    """An `Idempotency-Key` a client sent with a turn, so a retried turn is stored once.

    Kept for API_IDEMPOTENCY_WINDOW_HOURS; prune_interactions deletes older ones.
    """

    identity = models.ForeignKey(
        Identity,
        on_delete=models.CASCADE,
        related_name="idempotency_keys",
        verbose_name=_("identity"),
    )
    key = models.CharField(_("key"), max_length=200)
    body_hash = models.CharField(max_length=64, editable=False)
    interaction = models.ForeignKey(
        "profiles.Interaction", on_delete=models.CASCADE, verbose_name=_("interaction")
    )
    person_created = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False, db_index=True
    )

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["identity", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} of {self.identity_id}"
