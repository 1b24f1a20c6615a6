"""How many rows each table holds, in one query: the before-and-after that shows a request wrote
nothing (tests/matchplats/test_get_routes.py, the permission matrix, the bad-input suite)."""

from __future__ import annotations

from django.apps import apps
from django.db import connection


def row_counts(app_labels: set[str] | None = None) -> dict[str, int]:
    """Rows of every table (of ``app_labels`` only, if given), keyed by table name."""
    tables = sorted({model._meta.db_table for model in apps.get_models()
                     if app_labels is None or model._meta.app_label in app_labels})
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT '{table}', COUNT(*) FROM {quote(table)}" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())
