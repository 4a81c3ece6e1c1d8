#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that only read the code and write source files (migrations,
# translation catalogs): they are a developer's, never a production
# server's, so without DEBUG in the environment they run in development mode
# and need none of production's secrets. Every other command runs as
# production unless DEBUG says otherwise (see humas_portal/settings.py).
DEVELOPMENT_COMMANDS = {"makemigrations", "makemessages", "compilemessages"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "humas_portal.settings")
    if len(sys.argv) > 1 and sys.argv[1] in DEVELOPMENT_COMMANDS:
        os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
