from django.core.management.base import BaseCommand, CommandError

from bots.models import Client
from bots.services import create_api_token

NAME_MAX_LENGTH = Client._meta.get_field("name").max_length


class Command(BaseCommand):
    help = (
        "Create an API token for a client (a bot). A second token for the same name belongs to "
        "the same client and reaches the same people. The token is printed once, as the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The client's name, e.g. the bot's name.")

    def handle(self, *args, name, **options):
        name = name.strip()
        if not name or len(name) > NAME_MAX_LENGTH:
            raise CommandError(f"NAME must be 1 to {NAME_MAX_LENGTH} characters.")
        token, raw = create_api_token(client_name=name)
        self.stderr.write(
            f"Created API token {token.pk} for client {name!r}. "
            "Store it now: it is not shown again.",
            # On stderr so the token stays alone on stdout, but it is news, not an error.
            style_func=self.style.SUCCESS,
        )
        self.stdout.write(raw)
