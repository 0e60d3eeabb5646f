"""The DSFinV-K process data a TSE signs, and the QR code a receipt carries (byte-exact formats)."""

import base64
from datetime import UTC, datetime

from store.core.timeutil import as_utc

# The five VAT slots of the DSFinV-K, in this order: 19 %, 7 %, 10.7 %, 5.5 %, 0 %.
VAT_SLOTS = ("NORMAL", "REDUCED_1", "SPECIAL_RATE_1", "SPECIAL_RATE_2", "NULL")
SLOT_OF_RATE = {
    1900: "NORMAL",
    700: "REDUCED_1",
    1070: "SPECIAL_RATE_1",
    550: "SPECIAL_RATE_2",
    0: "NULL",
}
# DSFinV-K VAT ids (USt-Schlüssel) of the same slots, for the export.
VAT_ID = {"NORMAL": 1, "REDUCED_1": 2, "SPECIAL_RATE_1": 3, "SPECIAL_RATE_2": 4, "NULL": 5}


def amount(cents: int) -> str:
    """1250 → '12.50', -5 → '-0.05' (two decimals, point)."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def vat_slots(rows: list[tuple[int, int]]) -> dict[str, int]:
    """[(rate_bp, gross_cents), …] → gross per DSFinV-K slot."""
    slots = dict.fromkeys(VAT_SLOTS, 0)
    for rate, gross in rows:
        try:
            slots[SLOT_OF_RATE[rate]] += gross
        except KeyError:
            raise ValueError(f"VAT rate {rate / 100} % has no DSFinV-K slot") from None
    return slots


def kassenbeleg(receipt_type: str, slots: dict[str, int], cash_cents: int, non_cash_cents: int) -> str:
    """'Beleg^75.33_7.99_0.00_0.00_0.00^10.00:Bar_5.00:Unbar' (unused payment types left out)."""
    vat = "_".join(amount(slots[s]) for s in VAT_SLOTS)
    payments = []
    if cash_cents:
        payments.append(f"{amount(cash_cents)}:Bar")
    if non_cash_cents:
        payments.append(f"{amount(non_cash_cents)}:Unbar")
    if not payments and receipt_type != "AVBelegabbruch":
        payments.append(f"{amount(0)}:Bar")
    return f"{receipt_type}^{vat}^{'_'.join(payments)}"


def log_time(moment: datetime) -> str:
    """'2026-11-25T17:03:12.000Z': an instant in UTC with milliseconds, as TSE log times are written."""
    moment = as_utc(moment)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def qr_code(
    till_serial: str,
    process_type: str,
    process_data: str,
    number: int,
    counter: int,
    started_at: datetime,
    finished_at: datetime,
    algorithm: str,
    time_format: str,
    signature: str,
    public_key: str,
) -> str:
    """The receipt QR code of DSFinV-K Anhang I (V0;…). Start and end are ISO 8601 in UTC with
    milliseconds whatever the TSE's own log time format, which the code names separately."""
    return ";".join(
        [
            "V0",
            till_serial,
            process_type,
            process_data,
            str(number),
            str(counter),
            log_time(started_at),
            log_time(finished_at),
            algorithm,
            time_format,
            signature,
            public_key,
        ]
    )


def parse_qr(data: str) -> dict:
    """The fields of a receipt QR code (the process data may not contain ';')."""
    parts = data.split(";")
    if len(parts) != 12 or parts[0] != "V0":
        raise ValueError("not a V0 receipt code")
    keys = [
        "version",
        "till_serial",
        "process_type",
        "process_data",
        "number",
        "counter",
        "start",
        "end",
        "algorithm",
        "time_format",
        "signature",
        "public_key",
    ]
    return dict(zip(keys, parts, strict=True))


def parse_time(text: str) -> datetime:
    """A QR code time ('2026-11-25T09:14:56.000Z') as an aware UTC datetime."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
