"""The ZIP the tax office gets: the CSV file of every table, index.xml and the GDPdU DTD it names,
for one daily closing or for every closing of a period. The same closings give the same bytes."""

import csv
import io
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.errors import ValidationError
from store.core.timeutil import local_day_bounds, to_local
from store.extensions import db
from store.fiscal.dsfinvk.closing import ClosingData
from store.fiscal.dsfinvk.index import index_xml
from store.fiscal.dsfinvk.load import load
from store.fiscal.dsfinvk.tables import TABLES, Table
from store.fiscal.dsfinvk.values import DTD, cell
from store.fiscal.registration import (
    SOFTWARE,
    StoreIdentity,
    branch_identity,
    software_version,
    store_identity,
)
from store.goods.models import Category
from store.till.models import Closing, Till


class CsvSink:
    """One CSV file of the export, filled closing by closing (spills to disk when large)."""

    def __init__(self, table: Table):
        self.table = table
        self.file = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024, mode="w+b")
        self.text = io.TextIOWrapper(self.file, encoding="utf-8", newline="")
        self.writer = csv.writer(
            self.text, delimiter=";", quotechar='"', lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
        )
        self.writer.writerow([c.name for c in table.columns])
        self.count = 0

    def add(self, data: ClosingData) -> None:
        keys = data.keys
        for row in self.table.rows(data):
            values = {**keys, **row}
            self.writer.writerow([cell(c, values.get(c.name)) for c in self.table.columns])
            self.count += 1

    def copy_to(self, out: IO[bytes]) -> None:
        self.text.flush()
        self.file.seek(0)
        shutil.copyfileobj(self.file, out)
        self.text.close()


@dataclass
class Export:
    """A finished export: the ZIP (a file object at position 0) and what went into it."""

    file: IO[bytes]
    filename: str
    closings: list[int]
    rows: dict[str, int]


def closings_between(start: date, end: date, branch_id: int | None = None) -> list[Closing]:
    """Every daily closing made on these days (store time), per till in number order; of the tills
    of one branch if `branch_id` is given."""
    if start > end:
        raise ValidationError(_("The start date must not be after the end date."), field="from")
    since, until = local_day_bounds(start)[0], local_day_bounds(end)[1]
    query = (
        sa.select(Closing)
        .where(Closing.closed_at >= since, Closing.closed_at < until)
        .order_by(Closing.till_id, Closing.number)
    )
    if branch_id is not None:
        query = query.join(Till, Closing.till_id == Till.id).where(Till.branch_id == branch_id)
    return list(db.session.scalars(query))


def write_export(closings: list[Closing], out: IO[bytes], *, comment: str) -> dict[str, int]:
    """Write the ZIP of these closings to `out`; returns the number of data rows per file."""
    shop = store_identity()
    categories = {c.id: c.path for c in db.session.scalars(sa.select(Category))}
    sinks = [CsvSink(table) for table in TABLES]
    locations: dict[int, StoreIdentity] = {}
    for closing in closings:
        branch = closing.till.branch
        if branch.id not in locations:
            locations[branch.id] = branch_identity(branch)
        data = load(closing, categories, shop, locations[branch.id])
        for sink in sinks:
            sink.add(data)
    # Every member carries the time of the last closing, not of the export: exporting an old
    # closing again gives the same bytes.
    moment = to_local(max(c.closed_at for c in closings)) if closings else None
    stamp = (*moment.timetuple()[:5], 0) if moment else ZIP_EPOCH
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_member("index.xml", stamp), index_xml(shop, comment).encode("utf-8"))
        archive.writestr(_member(DTD, stamp), DTD_FILE.read_bytes())
        for sink in sinks:
            with archive.open(_member(sink.table.url, stamp), "w") as member:
                sink.copy_to(member)
    return {sink.table.url: sink.count for sink in sinks}


ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# The GDPdU DTD that index.xml names (DOCTYPE), shipped in the ZIP beside it.
DTD_FILE = Path(__file__).with_name(DTD)


def _member(name: str, stamp: tuple) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _export(closings: list[Closing], filename: str, comment: str) -> Export:
    file = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024, mode="w+b")
    rows = write_export(closings, file, comment=comment)
    file.seek(0)
    return Export(file, filename, [c.id for c in closings], rows)


def export_range(start: date, end: date, branch_id: int | None = None) -> Export:
    """The DSFinV-K export of every closing from `start` to `end` (store time, both included), of
    one branch (place of business) if `branch_id` is given."""
    closings = closings_between(start, end, branch_id)
    comment = (
        f"DSFinV-K-Export {SOFTWARE} {software_version()}, Kassenabschlüsse vom "
        f"{start.isoformat()} bis {end.isoformat()}"
    )
    name = f"dsfinvk_{start.isoformat()}_{end.isoformat()}"
    if branch_id is not None:
        comment += f", Filiale {branch_id}"
        name += f"_filiale{branch_id}"
    return _export(closings, f"{name}.zip", comment)


def export_closing(closing: Closing) -> Export:
    """The DSFinV-K export of one daily closing."""
    comment = (
        f"DSFinV-K-Export {SOFTWARE} {software_version()}, Kassenabschluss "
        f"{closing.number} der Kasse {closing.till.serial}"
    )
    day = to_local(closing.closed_at).date().isoformat()
    return _export([closing], f"dsfinvk_{closing.till.serial}_Z{closing.number}_{day}.zip", comment)
