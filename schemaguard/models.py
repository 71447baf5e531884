from django.db import models


class Release(models.Model):
    """A set of migration files that some running process was seen with.

    Running processes record theirs at most once a minute (a web process when /readyz is
    polled, a worker while it runs tasks); a held post_deploy migration is applied only once
    every release seen lately knows it.
    """

    fingerprint = models.CharField(max_length=64, primary_key=True)
    migrations = models.JSONField(help_text='The migrations it knows, as "app_label.name".')
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"release {self.fingerprint[:12]}"
