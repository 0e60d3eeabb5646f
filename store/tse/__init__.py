"""The TSE (technical security device, §146a AO): below the till, which signs every booking with it.

- models: TseDevice (the TSE in use) and FiscalTransaction (every transaction it signed or failed to);
- processdata: the DSFinV-K process data a TSE signs and the QR code of a receipt (byte-exact);
- backends/: one interface (base) and its backends: the simulator (demo, tests) and fiskaly SIGN DE;
- devices: which TSE is in service, its backend, its counters, putting a fiskaly TSS into service;
- signing: what the till calls: start a transaction, record its outcome (signed or failed).

The TSE area knows nothing of the till or the tax office (store.fiscal reads its records from above).
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from store.tse import models  # noqa: F401 - the tables, for the app and for Alembic
