from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from profiles.services import record_interaction


class Command(BaseCommand):
    help = "Record one conversation turn for a user and print their profile afterwards."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("user_message")
        parser.add_argument("assistant_response")

    def handle(self, *args, username, user_message, assistant_response, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        interaction = record_interaction(
            user=user, user_message=user_message, assistant_response=assistant_response
        )
        user.refresh_from_db(fields=["user_profile"])
        self.stdout.write(f"Recorded interaction {interaction.pk} for {username}.")
        self.stdout.write("Profile now (a queued refresh may not have run yet):")
        self.stdout.write(user.user_profile or "(empty)")
