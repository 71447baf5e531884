#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import execute_from_command_line

    # Django's command runner hides a settings error (a misspelt DEBUG, say) and then fails
    # with "Models aren't loaded yet"; setting up first shows the real message.
    django.setup()

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
