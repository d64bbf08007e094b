"""Fill the database with invented, clearly labelled demo content for local browsing."""

from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class DemoPart:
    """One `--<option> N` of the command and the function that creates N demo rows.

    `generator` is the dotted path of a function `(count: int) -> int` (rows created), or None
    while the app that owns those rows has not provided one yet.
    """

    option: str
    what: str
    generator: str | None


# Each app plugs its demo generator in here.
DEMO_PARTS = [
    DemoPart("organisations", "organisations", "dialogues.demo.create_organisations"),
    DemoPart("meetings", "meetings", "dialogues.demo.create_meetings"),
    DemoPart("jvap", "JVAP entries", "jvap.demo.seed_jvap"),
    DemoPart("grants", "grants", "grants.demo.seed_grants"),
]


class Command(BaseCommand):
    help = (
        "Create invented demo content, labelled 'Demo –' and never part of the reference data, "
        "e.g. 'seed_demo --meetings 200 --organisations 50'."
    )

    def add_arguments(self, parser):
        for part in DEMO_PARTS:
            parser.add_argument(
                f"--{part.option}",
                type=int,
                default=0,
                metavar="N",
                help=f"How many demo {part.what} to create.",
            )

    def handle(self, *args, **options):
        wanted = [(part, options[part.option]) for part in DEMO_PARTS if options[part.option]]
        for part, count in wanted:
            if count < 0:
                raise CommandError(f"--{part.option} must be zero or more, not {count}.")
        if not wanted:
            options_list = " ".join(f"--{part.option} N" for part in DEMO_PARTS)
            raise CommandError(f"Say what to create: {options_list}")
        with transaction.atomic():
            for part, count in wanted:
                if part.generator is None:
                    self.stdout.write(
                        self.style.WARNING(
                            f"--{part.option}: demo {part.what} are not available yet; skipped."
                        )
                    )
                    continue
                created = import_string(part.generator)(count)
                if isinstance(created, dict):  # a generator that also made related rows
                    created = ", ".join(f"{number} {what}" for what, number in created.items())
                self.stdout.write(self.style.SUCCESS(f"Created demo {part.what}: {created}."))
        update_planner_statistics()


def update_planner_statistics() -> None:
    """After a bulk load on PostgreSQL: statistics for the planner (without them it guesses
    500 rows for a table of 100,000 and sorts the whole listing on disk for one page), and,
    outside a transaction, the visibility map that lets the sort indexes answer a page's keys
    without reading the table (core.pagination). Autovacuum would get there, minutes later."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
