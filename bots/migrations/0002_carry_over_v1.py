from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import migrations

# A client for people the v1 API created when no token (so no client name) is left.
FALLBACK_CLIENT = 'v1 bot'


def carry_over(apps, schema_editor):
    """Give every token a client (one per token name) and every v1 bot user an identity.

    v1 addressed people by website username, shared by all tokens. Each client keeps reaching
    the people it reached, under the same id. Users who signed up on the website (they have a
    password) are never carried over: a bot's next turn for such a name starts a new person.
    """
    ApiToken = apps.get_model('bots', 'ApiToken')
    Client = apps.get_model('bots', 'Client')
    Identity = apps.get_model('bots', 'Identity')
    User = apps.get_model(settings.AUTH_USER_MODEL)
    for token in ApiToken.objects.all():
        token.client, _ = Client.objects.get_or_create(name=token.name)
        token.save(update_fields=['client'])
    bot_users = list(
        User.objects.filter(
            password__startswith=UNUSABLE_PASSWORD_PREFIX,
            is_staff=False,
            is_superuser=False,
            interactions__isnull=False,
        ).distinct()
    )
    if not bot_users:
        return
    clients = list(Client.objects.all()) or [Client.objects.create(name=FALLBACK_CLIENT)]
    Identity.objects.bulk_create(
        Identity(client=client, external_id=user.username, user=user)
        for client in clients
        for user in bot_users
    )


def carry_back(apps, schema_editor):
    """Tokens get their client's name back; identities go with the bots tables."""
    ApiToken = apps.get_model('bots', 'ApiToken')
    for token in ApiToken.objects.select_related('client'):
        token.name = token.client.name
        token.save(update_fields=['name'])


class Migration(migrations.Migration):

    dependencies = [
        ('bots', '0001_initial'),
        ('profiles', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
    ]
