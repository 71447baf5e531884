from django.core.management.base import BaseCommand, CommandError

from profiles.services import create_api_token


class Command(BaseCommand):
    help = "Create an API token for a bot. The token is printed once, as the last line."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who will use the token, e.g. the bot's name.")

    def handle(self, *args, name, **options):
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError("NAME must be 1 to 100 characters.")
        token, raw = create_api_token(name=name)
        self.stderr.write(
            f"Created API token {token.pk} for {name!r}. Store it now: it is not shown again."
        )
        self.stdout.write(raw)
