"""Pages of a large sorted listing that cost the same at any depth of the listing.

Django's paginator reads page N as `ORDER BY … OFFSET (N-1)*size LIMIT size` over the whole
query: at 100,000 rows the database builds (joins, sorts) every row before the page and
throws them away, so the last page cost 1.3 s where the first cost 3 ms. `IndexedPaginator`
reads a page in one query of two parts:

- the page's keys, `SELECT pk … ORDER BY <sort> OFFSET … LIMIT size`, with nothing joined:
  over a listing's sort index (the sort columns and the primary key, `jvap.indexes`) this is an
  index-only walk, and a page in the second half of the listing walks from the other end
  (the sort reversed), so the last page costs what the first does;
- the rows to show, `WHERE pk IN (those keys)`, with their joined and prefetched relations,
  sorted again (25 rows).

When the filters leave few rows (`FEW_ROWS`, the count being known before the page is read),
the keys are read from those rows, sorted, instead: walking a sort index in search of 25 rare
rows (a search word that few entries have) would read the whole index.

The public contract is unchanged: `?page=N` addresses the same rows as before.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import BooleanField, F, Func, OrderBy, Q, Subquery
from django.db.models.expressions import BaseExpression

# Up to this many rows, a page's keys are read by sorting the matching rows (found through the
# filters' own indexes) rather than by walking a sort index.
FEW_ROWS = 5000
NO_LIMIT = 2**62


def reversed_ordering(ordering) -> list | None:
    """The ORDER BY read backwards (empty values first where they came last), or None when a
    term cannot be reversed (a random order)."""
    reversed_terms = []
    for term in ordering:
        if isinstance(term, str):
            if term == "?":
                return None
            reversed_terms.append(term[1:] if term.startswith("-") else f"-{term}")
        elif isinstance(term, OrderBy):
            reversed_terms.append(
                OrderBy(
                    term.expression,
                    descending=not term.descending,
                    nulls_first=term.nulls_last or None,
                    nulls_last=term.nulls_first or None,
                )
            )
        elif isinstance(term, BaseExpression):
            reversed_terms.append(term.desc())
        else:
            return None
    return reversed_terms


def _ends_with_primary_key(ordering) -> bool:
    """Whether the order is total (its last term is the primary key): only then is a page read
    backwards exactly the page read forwards."""
    if not ordering:
        return False
    last = ordering[-1]
    if isinstance(last, str):
        return last.lstrip("-") in ("pk", "id")
    expression = getattr(last, "expression", last)
    return isinstance(expression, F) and expression.name in ("pk", "id")


class AmongKeys(Func):
    """PostgreSQL: the row's primary key is among the keys of a subquery, as
    `pk = ANY(ARRAY(subquery))`: the keys are read once into an array (an InitPlan), then
    found by the primary key's index."""

    output_field = BooleanField()

    def __init__(self, keys):
        super().__init__(F("pk"), Subquery(keys))

    def as_sql(self, compiler, connection, **extra_context):
        pk, pk_params = compiler.compile(self.source_expressions[0])
        keys, keys_params = compiler.compile(self.source_expressions[1])
        return f"{pk} = ANY(ARRAY{keys})", (*pk_params, *keys_params)


def _pk_among(matching, using: str) -> Q | AmongKeys:
    """The condition "the primary key is among the keys of `matching`" (at most `FEW_ROWS`).

    PostgreSQL plans `pk IN (…)` as a join without knowing how few the keys are: it hashed
    them against the whole table (a sequential scan of 100,000 entries, ~50 ms, for the 1,574
    entries of a search in one domain), where finding them by the primary key costs ~7 ms."""
    if connections[using].vendor != "postgresql":
        return Q(pk__in=matching)
    return AmongKeys(matching)


class IndexedPaginator(Paginator):
    """A paginator for a sorted queryset whose deep pages do not build the rows before them.

    The queryset's own ORDER BY (ending with the primary key) decides the order; a queryset
    that selects annotations (counts), or without an explicit order, is paged as Django does.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        ordering = list(getattr(getattr(queryset, "query", None), "order_by", ()) or ())
        if not ordering or queryset.query.annotation_select or queryset.query.extra:
            return self._get_page(queryset[bottom:top], number, self)
        return self._get_page(self.rows(queryset, ordering, bottom, top), number, self)

    def rows(self, queryset, ordering: list, bottom: int, top: int):
        """The rows between two positions, as one query (keys first, then the rows)."""
        keys = queryset.select_related(None).prefetch_related(None).values("pk")
        # An order by aliases (`alias()`: the meetings' "upcoming first") is known to the
        # queryset only: its rows are read through it (its filters again, on 25 keys).
        aliased = bool(queryset.query.annotations)
        if self.count <= FEW_ROWS and not aliased:
            # A LIMIT (that cuts nothing) keeps the filters in a subquery of their own that
            # PostgreSQL runs first (it never merges a limited subquery into the outer query);
            # the outer query, on the whole table, has no partial sort index to walk and sorts
            # those rows.
            matching = keys.order_by()[:NO_LIMIT]
            keys = queryset.model._default_manager.filter(_pk_among(matching, queryset.db))
            keys = keys.values("pk").order_by(*ordering)
        backwards = reversed_ordering(ordering) if _ends_with_primary_key(ordering) else None
        if backwards is not None and bottom > self.count - top:
            keys = keys.order_by(*backwards)[self.count - top : self.count - bottom]
        else:
            keys = keys[bottom:top]
        if aliased:
            return queryset.filter(pk__in=keys).order_by(*ordering)
        rows = queryset.model._default_manager.filter(pk__in=keys)
        rows.query.select_related = queryset.query.select_related
        rows.query.deferred_loading = queryset.query.deferred_loading
        return rows.prefetch_related(*queryset._prefetch_related_lookups).order_by(*ordering)
