"""One row generator per file of the export: a closing's data in, the file's rows out (dicts by
column name; the closing's three keys are added by the writer)."""

from collections.abc import Iterator
from decimal import Decimal

from store.core.timeutil import to_local
from store.fiscal.dsfinvk.closing import ClosingData
from store.fiscal.dsfinvk.values import (
    CASE_ORDER,
    CURRENCY,
    TAXONOMY_VERSION,
    VAT_IDS,
    euros,
    local_iso,
    tse_iso,
)
from store.fiscal.registration import BRAND, MODEL, SOFTWARE, software_version


def no_rows(_data: ClosingData) -> Iterator[dict]:
    return iter(())


# -- master data module


def cashpointclosing_rows(data: ClosingData) -> Iterator[dict]:
    shop, summed = data.shop, data.summed_bons()
    payments = [p for b in summed for p in b.payments]
    booked_on = to_local(data.session.opened_at).date()
    yield {
        "Z_BUCHUNGSTAG": booked_on.isoformat()
        if booked_on != to_local(data.closing.closed_at).date()
        else "",
        "TAXONOMIE_VERSION": TAXONOMY_VERSION,
        "Z_START_ID": data.bons[0].bon_id if data.bons else "",
        "Z_ENDE_ID": data.bons[-1].bon_id if data.bons else "",
        "NAME": shop.name,
        "STRASSE": shop.street,
        "PLZ": shop.postcode,
        "ORT": shop.city,
        "LAND": shop.country,
        "STNR": shop.tax_number,
        "USTID": shop.vat_id,
        "Z_SE_ZAHLUNGEN": euros(sum(p.cents for p in payments)),
        "Z_SE_BARZAHLUNGEN": euros(sum(p.cents for p in payments if p.typ == "Bar")),
    }


def location_rows(data: ClosingData) -> Iterator[dict]:
    shop = data.location or data.shop  # the closing's branch: each branch is its own location
    yield {
        "LOC_NAME": shop.name,
        "LOC_STRASSE": shop.street,
        "LOC_PLZ": shop.postcode,
        "LOC_ORT": shop.city,
        "LOC_LAND": shop.country,
        "LOC_USTID": shop.vat_id,
    }


def cashregister_rows(data: ClosingData) -> Iterator[dict]:
    yield {
        "KASSE_BRAND": BRAND,
        "KASSE_MODELL": MODEL,
        "KASSE_SERIENNR": data.closing.till.serial,
        "KASSE_SW_BRAND": SOFTWARE,
        "KASSE_SW_VERSION": software_version(),
        "KASSE_BASISWAEH_CODE": CURRENCY,
        "KEINE_UST_ZUORDNUNG": False,
    }


def vat_master_rows(_data: ClosingData) -> Iterator[dict]:
    for key, (rate, description) in VAT_IDS.items():
        yield {"UST_SCHLUESSEL": key, "UST_SATZ": Decimal(rate).scaleb(-2), "UST_BESCHR": description}


CERTIFICATE_PARTS = ("I", "II", "III", "IV", "V")


def tse_rows(data: ClosingData) -> Iterator[dict]:
    for n, device in enumerate(data.devices, start=1):
        certificate = str((device.config or {}).get("certificate", ""))
        row = {
            "TSE_ID": n,
            "TSE_SERIAL": device.serial,
            "TSE_SIG_ALGO": device.algorithm,
            "TSE_ZEITFORMAT": device.time_format,
            "TSE_PD_ENCODING": "UTF-8",
            "TSE_PUBLIC_KEY": device.public_key,
        }
        for i, part in enumerate(CERTIFICATE_PARTS):
            row[f"TSE_ZERTIFIKAT_{part}"] = certificate[i * 1000 : (i + 1) * 1000]
        yield row


# -- cash point closing module


def businesscases_rows(data: ClosingData) -> Iterator[dict]:
    sums: dict[tuple[str, int], list[int]] = {}
    for bon in data.summed_bons():
        for line in bon.lines:
            row = sums.setdefault((line.gv_typ, line.vat_id), [0, 0])
            row[0] += line.gross
            row[1] += line.vat
    for (case, key), (gross, vat) in sorted(
        sums.items(), key=lambda item: (CASE_ORDER.index(item[0][0]), item[0][1])
    ):
        yield {
            "GV_TYP": case,
            "GV_NAME": "",
            "AGENTUR_ID": 0,
            "UST_SCHLUESSEL": key,
            "Z_UMS_BRUTTO": euros(gross),
            "Z_UMS_NETTO": euros(gross - vat),
            "Z_UST": euros(vat),
        }


def payment_rows(data: ClosingData) -> Iterator[dict]:
    sums: dict[tuple[str, str], int] = {}
    for bon in data.summed_bons():
        for p in bon.payments:
            sums[(p.typ, p.name)] = sums.get((p.typ, p.name), 0) + p.cents
    for (typ, name), cents in sorted(sums.items()):
        yield {"ZAHLART_TYP": typ, "ZAHLART_NAME": name, "Z_ZAHLART_BETRAG": euros(cents)}


def cash_per_currency_rows(data: ClosingData) -> Iterator[dict]:
    cash = sum(p.cents for b in data.summed_bons() for p in b.payments if p.typ == "Bar")
    yield {"ZAHLART_WAEH": CURRENCY, "ZAHLART_BETRAG_WAEH": euros(cash)}


# -- single recording module


def transactions_rows(data: ClosingData) -> Iterator[dict]:
    serial = data.closing.till.serial
    for bon in data.bons:
        yield {
            "BON_ID": bon.bon_id,
            "BON_NR": bon.number,
            "BON_TYP": bon.typ,
            "BON_NAME": bon.name,
            "TERMINAL_ID": serial,
            "BON_STORNO": bon.storno,
            "BON_START": local_iso(bon.start),
            "BON_ENDE": local_iso(bon.end),
            "BEDIENER_ID": bon.cashier_id,
            "BEDIENER_NAME": bon.cashier_name,
            "UMS_BRUTTO": euros(bon.gross),
            "BON_NOTIZ": bon.note,
        }


def datapayment_rows(data: ClosingData) -> Iterator[dict]:
    drawer = "1" if data.closing.till.has_drawer else ""
    for bon in data.bons:
        for p in bon.payments:
            yield {
                "BON_ID": bon.bon_id,
                "ZAHLART_TYP": p.typ,
                "ZAHLART_NAME": p.name,
                "ZAHLWAEH_CODE": CURRENCY,
                "ZAHLWAEH_BETRAG": euros(p.cents),
                "BASISWAEH_BETRAG": euros(p.cents),
                "KASSENSCHUBLADENNR": drawer if p.typ == "Bar" else "",
            }


def lines_rows(data: ClosingData) -> Iterator[dict]:
    serial = data.closing.till.serial
    for bon in data.bons:
        for line in bon.lines:
            yield {
                "BON_ID": bon.bon_id,
                "POS_ZEILE": str(line.position),
                "ARTIKELTEXT": line.text,
                "POS_TERMINAL_ID": serial,
                "GV_TYP": line.gv_typ,
                "GV_NAME": "",
                "INHAUS": False,
                "P_STORNO": False,
                "AGENTUR_ID": 0,
                "ART_NR": line.art_nr,
                "WARENGR_ID": line.group_id,
                "WARENGR": line.group,
                "MENGE": line.quantity,
                "FAKTOR": 1,
                "EINHEIT": "Stück",
                "STK_BR": Decimal(line.gross) / Decimal(100 * line.quantity)
                if line.quantity
                else euros(line.gross),
            }


def itemamounts_rows(data: ClosingData) -> Iterator[dict]:
    for bon in data.bons:
        for line in bon.lines:
            for typ, gross, vat in line.prices:
                yield {
                    "BON_ID": bon.bon_id,
                    "POS_ZEILE": str(line.position),
                    "TYP": typ,
                    "UST_SCHLUESSEL": line.vat_id,
                    "PF_BRUTTO": euros(gross),
                    "PF_NETTO": euros(gross - vat),
                    "PF_UST": euros(vat),
                }


def transactions_tse_rows(data: ClosingData) -> Iterator[dict]:
    for bon in data.bons:
        tx = bon.tx
        if tx is None:
            continue
        failed = tx.state != "signed"
        yield {
            "BON_ID": bon.bon_id,
            "TSE_ID": data.tse_id(tx.device_id),
            "TSE_TANR": tx.tx_number,
            "TSE_TA_START": tse_iso(tx.started_at),
            "TSE_TA_ENDE": tse_iso(tx.finished_at),
            "TSE_TA_VORGANGSART": tx.process_type,
            "TSE_TA_SIGZ": tx.signature_counter,
            "TSE_TA_SIG": tx.signature or "",
            "TSE_TA_FEHLER": (
                f"TSE-Ausfall um {local_iso(tx.recorded_at)}: {tx.error or 'unbekannter Fehler'}"
            )
            if failed
            else "",
            "TSE_VORGANGSDATEN": tx.process_data,
        }


def transactions_vat_rows(data: ClosingData) -> Iterator[dict]:
    for bon in data.bons:
        for key, gross, vat in bon.vat_rows():
            yield {
                "BON_ID": bon.bon_id,
                "UST_SCHLUESSEL": key,
                "BON_BRUTTO": euros(gross),
                "BON_NETTO": euros(gross - vat),
                "BON_UST": euros(vat),
            }


def lines_vat_rows(data: ClosingData) -> Iterator[dict]:
    for bon in data.bons:
        for line in bon.lines:
            yield {
                "BON_ID": bon.bon_id,
                "POS_ZEILE": str(line.position),
                "UST_SCHLUESSEL": line.vat_id,
                "POS_BRUTTO": euros(line.gross),
                "POS_NETTO": euros(line.gross - line.vat),
                "POS_UST": euros(line.vat),
            }


def references_rows(data: ClosingData) -> Iterator[dict]:
    for bon in data.bons:
        refs = [("", bon.reference)] if bon.reference is not None else []
        refs += [(str(position), ref) for position, ref in bon.line_references]
        for position, ref in refs:
            yield _reference_row(bon.bon_id, position, ref)


def _reference_row(bon_id: str, position: str, ref) -> dict:
    return {
        "BON_ID": bon_id,
        "POS_ZEILE": position,
        "REF_TYP": "Transaktion",
        "REF_NAME": "",
        "REF_DATUM": local_iso(ref.closed_at),
        "REF_Z_KASSE_ID": ref.till_serial,
        "REF_Z_NR": ref.number,
        "REF_BON_ID": ref.bon_id,
    }
