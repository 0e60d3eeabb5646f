"""Rows written with SQLAlchemy Core, as ORM objects: the hot paths (a sale's booking) insert with one
statement per table and build the objects from the values they sent, as if they had been read back.
No attribute events fire and nothing is left to flush, which is most of what the ORM costs there."""

import functools

import sqlalchemy as sa
import sqlalchemy.orm as so

from store.extensions import db


def as_loaded(model, values: dict, row_id: int):
    """The object of a row just inserted with `values` under `row_id`, as a query would give it
    (detached; add it to the session to lazy-load what it refers to). Columns missing from `values`
    are read when first used."""
    obj = model.__mapper__.class_manager.new_instance()
    obj.__dict__.update(values, id=row_id)
    so.make_transient_to_detached(obj)
    return obj


def insert_all(model, rows: list[dict]) -> list:
    """Insert rows with one statement; their objects as if read back. The ids of one multi-row INSERT
    are handed out in the order of its rows (SQLite's rowid, PostgreSQL's sequence), so the sorted
    ids are the rows' ids in order; asking the database to sort them costs a statement per row."""
    if not rows:
        return []
    ids = db.session.connection().execute(_inserting(model.__table__), rows).scalars()
    return [as_loaded(model, row, row_id) for row, row_id in zip(rows, sorted(ids), strict=True)]


def related(obj, **objects) -> None:
    """Set relationships of such an object as loaded ones (an object or a list), without events."""
    for key, value in objects.items():
        so.attributes.set_committed_value(obj, key, value)


def insert_now(obj):
    """Insert a new object's row at once with one cached Core statement instead of a flush, and keep
    the object as loaded (in the session). Only its columns are stored: give ids, not related
    objects. Columns it was not given take their defaults and are read when first used."""
    table = obj.__table__
    values = {c.key: obj.__dict__[c.key] for c in table.columns if c.key in obj.__dict__}
    obj.__dict__["id"] = db.session.connection().execute(_inserting(table), values).scalar_one()
    so.make_transient_to_detached(obj)
    db.session.add(obj)
    return obj


@functools.cache
def _inserting(table):
    """Built once per table: building a statement costs more than running it."""
    return sa.insert(table).returning(table.c.id)


def columns_of(*models) -> list:
    """The columns of these models' tables, table after table: a Core select whose rows
    `objects_of` turns into objects."""
    return [column for model in models for column in model.__table__.columns]


def objects_of(row, *models) -> list:
    """The objects of one row of `columns_of(*models)`, detached (in_session() gives the session's
    own); None for an outer-joined table without a row. Cheaper than an ORM select, whose loading
    costs more than the statement."""
    objects, at = [], 0
    for model in models:
        table = model.__table__
        values = {_keys(model)[n]: row[at + n] for n in range(len(table.columns))}
        at += len(table.columns)
        if values["id"] is None:
            objects.append(None)
            continue
        objects.append(as_loaded(model, values, values["id"]))
    return objects


def in_session(obj, **objects):
    """The session's own object of this row if it has one; else this one, added, with these related
    objects (each the session's own likewise, or None)."""
    known = db.session.identity_map.get(sa.inspect(obj).key)
    if known is not None:
        return known
    related(obj, **{k: in_session(v) if v is not None else None for k, v in objects.items()})
    db.session.add(obj)
    return obj


@functools.cache
def _keys(model) -> list[str]:
    """The attribute of each column of the model's table, in the table's order."""
    mapper = sa.inspect(model)
    return [mapper.get_property_by_column(column).key for column in model.__table__.columns]
