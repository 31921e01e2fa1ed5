"""``manage.py create_api_token USERNAME``: a new API token for a user (docs/api.md).

The key is printed once, on the last line of the output, and stored only as its digest
(django-rest-knox: SHA-512); send it as ``Authorization: Token <key>``. A user may hold several
tokens; each expires after ``--days`` (default ``INTERVENTION_IMPORT["API_TOKEN_DAYS"]``; 0:
never) and is revoked by deleting it (the admin's "Auth tokens", or ``DELETE
/api/v1/auth/token/`` with it). The user's expired tokens are deleted here.
"""

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from knox.models import AuthToken

from imports.conf import import_settings


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print its key on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="days until it expires (default: the API_TOKEN_DAYS setting; 0: never)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model()._default_manager
        user = users.filter(**{get_user_model().USERNAME_FIELD: options["username"]}).first()
        if user is None:
            raise CommandError(f"User {options['username']} not found.")
        if not user.is_active:
            raise CommandError(f"User {options['username']} is not active.")
        days = options["days"]
        if days is None:
            days = import_settings.API_TOKEN_DAYS
        if days is not None and days < 0:
            raise CommandError("--days is 0 (never expires) or more.")
        expiry = timedelta(days=days) if days else None
        expired = AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()[0]
        token, key = AuthToken.objects.create(user, expiry=expiry)
        until = (
            timezone.localtime(token.expiry).strftime("%Y-%m-%d %H:%M") if token.expiry else "never"
        )
        if expired:
            self.stdout.write(f"{expired} expired token(s) of {user} deleted.")
        self.stdout.write(f"Token for {user}, expires: {until}. Send: Authorization: Token <key>")
        self.stdout.write(key)
