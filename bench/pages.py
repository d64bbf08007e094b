"""The pages the benchmark measures, resolved against the seeded data."""

from __future__ import annotations


def filtered_jvap_query_of_about(rows: int) -> str:
    """A /jvap/ filter whose result has roughly `rows` published entries (for the exports)."""
    from jvap.models import JvapEntry

    published = JvapEntry.objects.published()
    candidates = [
        f"domain={domain}&type={entry_type}"
        for domain in range(1, 6)
        for entry_type in ("project", "policy")
    ] + [f"domain={domain}" for domain in range(1, 6)]
    best, best_gap = "domain=1", None
    for query in candidates:
        params = dict(part.split("=") for part in query.split("&"))
        count = published.filter(
            domain__number=params["domain"],
            **({"type": params["type"]} if "type" in params else {}),
        ).count()
        gap = abs(count - rows)
        if best_gap is None or gap < best_gap:
            best, best_gap = query, gap
    return best


def pages_to_measure() -> list[tuple[str, str]]:
    from django.db.models import Count

    from dialogues.models import Meeting

    busiest_year = (
        Meeting.objects.values_list("start_date__year")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()[0]
    )
    export_query = filtered_jvap_query_of_about(10_000)
    return [
        ("home", "/"),
        ("dialogue page", "/dialogues/rabat-process/"),
        ("country page", "/countries/sn/"),
        ("meetings, unfiltered", "/meetings/"),
        (
            "meetings, three filters",
            f"/meetings/?dialogue=rabat-process&type=thematic-meeting&year={busiest_year}",
        ),
        ("JVAP database, unfiltered", "/jvap/"),
        ("JVAP database, three filters", "/jvap/?domain=2&country=sn&status=ongoing"),
        ("JVAP database, text search", "/jvap/?q=border"),
        ("JVAP database, page 500", "/jvap/?page=500"),
        ("JVAP dashboard, unfiltered", "/jvap/dashboard/"),
        ("JVAP dashboard, two filters", "/jvap/dashboard/?domain=3&dialogue=rabat"),
        ("grants", "/grants/"),
        ("JVAP export CSV (about 10,000 rows)", f"/jvap/export.csv?{export_query}"),
        ("JVAP export XLSX (about 10,000 rows)", f"/jvap/export.xlsx?{export_query}"),
        ("JVAP export JSON (about 10,000 rows)", f"/jvap/export.json?{export_query}"),
        # Unfiltered: every published entry, the prebuilt file of the task (issue 13: < 3 s).
        ("JVAP export CSV, full (every published entry)", "/jvap/export.csv"),
    ]
