"""Rows written into a database of an earlier release, for migration tests: every required column
gets a plain value (a reference: the parent's id), the test names the ones it cares about."""

from datetime import UTC, date, datetime

import sqlalchemy as sa


def value(column: sa.Column, parents: dict):
    """A plain value for a required column (`parents`: table name → the id a reference points to)."""
    for fk in column.foreign_keys:
        return parents.get(fk.column.table.name, 1)
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer):
        return 1
    if isinstance(kind, sa.DateTime):
        return datetime(2026, 11, 20, 10, tzinfo=UTC)
    if isinstance(kind, sa.Date):
        return date(2026, 11, 20)
    if isinstance(kind, sa.JSON):
        return {}
    if isinstance(kind, sa.Enum):
        return kind.enums[0]
    return "x"


def insert(conn, table: sa.Table, row_id: int = 1, parents: dict | None = None, **values) -> None:
    """One row with this id: the values given, plain values for the other required columns."""
    row = {
        c.name: value(c, parents or {})
        for c in table.columns
        if not c.nullable and c.server_default is None and not c.primary_key
    }
    row.update(values)
    conn.execute(table.insert().values(id=row_id, **row))
