"""The DSFinV-K export: what the tax office gets on request, for a closing or a date range.

A ZIP with the CSV files of the three modules of the DSFinV-K (version 2.3/2.4 layout), the
`index.xml` that describes them (GDPdU description standard) and the DTD it names
(gdpdu-01-09-2004.dtd), against which it validates:

- single recording module: transactions, transactions_vat, allocation_groups, datapayment,
  references, transactions_tse, lines, lines_vat, itemamounts, subitems;
- master data module: cashpointclosing, location, cashregister, slaves, pa, vat, tse;
- cash point closing module: businesscases, payment, cash_per_currency.

Every daily closing (Z report) is one cash point closing (Z_KASSE_ID = the till's serial,
Z_ERSTELLUNG, Z_NR); every row carries those three keys. What a closing contains:

- every sale, return and void of its session ("Beleg"; a void is a Beleg with negative amounts,
  BON_STORNO = 1 and a reference to the original, signed as a Beleg); training receipts as
  "AVTraining" (recorded, not summed);
- the float, deposits, withdrawals and the counting difference as receipts with one line each
  (business cases Anfangsbestand, Einzahlung, Auszahlung, DifferenzSollIst, VAT id 5), paid in cash,
  so the cash of the closing adds up to what was counted;
- abandoned carts as "AVBelegabbruch" and the closing's own TSE transaction as "AVSonstige", so every
  TSE transaction of the session has its receipt in transactions_tse.

Line discounts, the entitlement discount and markdowns are price determinations of their line
(itemamounts: base_amount and discount rows), so "Umsatz" is what was actually charged. VAT is
rounded once per rate and receipt, as the receipt prints it; the closing sums the receipts.

Format: `;` between columns, `"` around text where needed, decimal comma with exactly the places the
index declares, UTF-8 without BOM, CRLF after every record, a header row. Times are ISO 8601 in the
store's zone with its UTC offset; the TSE's log times are ISO 8601 in UTC. Texts are written as
recorded: the spreadsheet formula guard of our other CSV downloads would change tax data here.

Every file is one table of column declarations plus a small row generator; one writer turns rows
into CSV and the same declarations into index.xml. The modules:

- values: the standard's constants and how values are written (amounts, times, cells);
- closing: what one cash point closing holds (receipts, lines, payments, references);
- load: reading a closing from the database into those;
- rows: one row generator per file;
- tables: the files, their columns and their row generators;
- index: index.xml, the description of every file;
- archive: the ZIP of one closing or of a period;
- tse_file: the TSE's own export, which goes to the tax office next to the ZIP.
"""

from store.fiscal.dsfinvk.archive import (
    Export,
    closings_between,
    export_closing,
    export_range,
    write_export,
)
from store.fiscal.dsfinvk.index import index_xml
from store.fiscal.dsfinvk.tables import TABLES
from store.fiscal.dsfinvk.tse_file import tse_export
from store.fiscal.dsfinvk.values import cell, euros, local_iso, tse_iso, vat_id

__all__ = [
    "TABLES",
    "Export",
    "cell",
    "closings_between",
    "euros",
    "export_closing",
    "export_range",
    "index_xml",
    "local_iso",
    "tse_export",
    "tse_iso",
    "vat_id",
    "write_export",
]
