"""Make sure a local administrator account exists, for `make run`."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the local administrator account 'admin' with a generated password, printed "
        "once, unless a superuser exists already."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                "A local administrator account exists already; its password is unchanged "
                "(reset it with 'manage.py changepassword USERNAME')."
            )
            return
        password = secrets.token_urlsafe(16)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                "\nCreated the local administrator account. It is shown only this once:\n"
                f"    username: {username}\n    password: {password}\n"
                "Log in at http://127.0.0.1:8000/admin/\n"
            )
        )
