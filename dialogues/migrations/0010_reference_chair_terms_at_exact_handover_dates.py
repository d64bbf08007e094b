"""Databases loaded before the sources gave the exact handover dates hold chair terms that
start on an approximate day (1 January of a year, the first day of a meeting). The reference
files now key those terms by the exact handover date; without this migration a rerun of
`load_reference_data` would add a second term next to each stale one.

Moves each stale term to its exact start (only where the stale row exists and the exact one does
not) and records how precise the kept approximate starts (and the two ministerial conferences
known only by their year) are; everything else comes with `load_reference_data --update`."""

import datetime

from django.db import migrations

D = datetime.date

# (dialogue, country or organisation slug, stale start, exact start, precision)
MOVED = [
    ("rabat-process", "BF", D(2018, 5, 1), D(2018, 5, 2), "day"),
    ("rabat-process", "FR", D(2019, 1, 1), D(2019, 6, 3), "day"),
    ("rabat-process", "MA", D(2022, 12, 1), D(2022, 12, 14), "day"),
    ("rabat-process", "NG", D(2025, 1, 29), D(2025, 1, 30), "day"),
    ("khartoum-process", "ET", D(2017, 1, 1), D(2016, 12, 1), "month"),
    ("khartoum-process", "ER", D(2019, 1, 1), D(2019, 3, 7), "day"),
    ("khartoum-process", "NL", D(2020, 1, 1), D(2020, 3, 5), "day"),
    ("c2cmmd", "european-commission", D(2017, 1, 1), D(2017, 11, 30), "day"),
    ("c2cmmd", "african-union-commission", D(2017, 1, 1), D(2017, 11, 30), "day"),
]
YEAR_ONLY = [
    ("rabat-process", "MA", D(2015, 1, 1)),
    ("rabat-process", "PT", D(2016, 1, 1)),
    ("rabat-process", "ML", D(2017, 1, 1)),
    ("khartoum-process", "GB", D(2016, 1, 1)),
    ("khartoum-process", "IT", D(2018, 1, 1)),
    ("khartoum-process", "DE", D(2023, 1, 1)),
    ("prague-process", "PL", D(2012, 1, 1)),
    ("prague-process", "CZ", D(2018, 1, 1)),
]


YEAR_ONLY_MEETINGS = [
    ("rabat-process-ministerial-conference-paris-2008", D(2008, 1, 1)),
    ("rabat-process-ministerial-conference-dakar-2011", D(2011, 1, 1)),
]


def _participant(holder: str) -> dict:
    if len(holder) == 2 and holder.isupper():
        return {"country": holder}
    return {"organisation__slug": holder}


def forwards(apps, schema_editor):
    ChairTerm = apps.get_model("dialogues", "ChairTerm")
    for dialogue, holder, stale, exact, precision in MOVED:
        terms = ChairTerm.objects.filter(dialogue__slug=dialogue, **_participant(holder))
        if terms.filter(start=exact).exists():
            continue
        terms.filter(start=stale).update(start=exact, start_precision=precision)
    for dialogue, holder, start in YEAR_ONLY:
        ChairTerm.objects.filter(
            dialogue__slug=dialogue, start=start, **_participant(holder)
        ).update(start_precision="year")
    Meeting = apps.get_model("dialogues", "Meeting")
    for slug, start in YEAR_ONLY_MEETINGS:
        Meeting.objects.filter(slug=slug, start_date=start, end_date=None).update(
            start_date_precision="year"
        )


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0009_date_precision_chair_handovers_french_acronyms")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
