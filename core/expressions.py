"""Query expressions the ORM does not write by itself."""

from __future__ import annotations

from django.db.models import BooleanField, Func, Subquery


class InSubquery(Func):
    """`<expression> IN (<subquery>)`, written `= ANY(ARRAY(<subquery>))` on PostgreSQL.

    PostgreSQL plans `IN (SELECT …)` as a join, and for a few thousand keys among 100,000 rows
    it often merges or hashes the whole table; `= ANY(ARRAY(…))` computes the keys first (once)
    and looks each one up in an index of the outer table, which costs what the keys cost.
    """

    output_field = BooleanField()
    arity = 2

    def __init__(self, expression, queryset, **extra):
        super().__init__(expression, Subquery(queryset), **extra)

    def as_sql(self, compiler, connection, **extra_context):
        left, subquery = self.source_expressions
        left_sql, left_params = compiler.compile(left)
        subquery_sql, subquery_params = compiler.compile(subquery)
        return f"{left_sql} IN {subquery_sql}", (*left_params, *subquery_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        left, subquery = self.source_expressions
        left_sql, left_params = compiler.compile(left)
        subquery_sql, subquery_params = compiler.compile(subquery)
        return f"{left_sql} = ANY(ARRAY{subquery_sql})", (*left_params, *subquery_params)
