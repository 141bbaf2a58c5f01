"""
Paging through a million rows in the admin without counting them on every page.

Django's changelist counts the filtered rows for its pagination: `SELECT COUNT(*)` over a
million signatures takes hundreds of milliseconds on every page view. This paginator counts
exactly up to EXACT_COUNT_LIMIT rows (a bounded scan), and beyond that takes PostgreSQL's own
estimate from the query plan, which is close once the table has been analysed and costs a
planner call. Staff narrow a list with the filters; the exact total of a petition is its kept
count, shown on the petition.
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_COUNT_LIMIT = 10_000


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        exact = queryset.order_by()[: EXACT_COUNT_LIMIT + 1].count()
        if exact <= EXACT_COUNT_LIMIT:
            return exact
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return exact
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return max(exact, int(plan[0]["Plan"]["Plan Rows"]))
