"""The files of the export: each one table of the standard with its columns (name, description,
size) and the generator of its rows. The writer and index.xml read the same declarations."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from store.fiscal.dsfinvk.closing import ClosingData
from store.fiscal.dsfinvk.rows import (
    CERTIFICATE_PARTS,
    businesscases_rows,
    cash_per_currency_rows,
    cashpointclosing_rows,
    cashregister_rows,
    datapayment_rows,
    itemamounts_rows,
    lines_rows,
    lines_vat_rows,
    location_rows,
    no_rows,
    payment_rows,
    references_rows,
    transactions_rows,
    transactions_tse_rows,
    transactions_vat_rows,
    tse_rows,
    vat_master_rows,
)
from store.fiscal.dsfinvk.values import Column, num, txt

KEYS = (
    txt("Z_KASSE_ID", 50, "ID der (Abschluss-) Kasse"),
    txt("Z_ERSTELLUNG", 30, "Zeitpunkt des Kassenabschlusses"),
    num("Z_NR", 0, "Nr. des Kassenabschlusses"),
)
BON_ID = txt("BON_ID", 40, "Vorgangs-ID")
POS_ZEILE = txt("POS_ZEILE", 50, "Zeilennummer")


@dataclass(frozen=True)
class Table:
    """One CSV file: its name, its table in the standard, its columns and its rows."""

    url: str
    name: str
    columns: tuple[Column, ...]
    rows: Callable[[ClosingData], Iterable[dict]]


AMOUNT = "Bruttoumsatz", "Nettoumsatz", "Umsatzsteuer"

TABLES: tuple[Table, ...] = (
    Table(
        "cashpointclosing.csv",
        "Stamm_Abschluss",
        (
            *KEYS,
            txt("Z_BUCHUNGSTAG", 25, "Vom Erstellungsdatum abweichender Verbuchungstag"),
            txt("TAXONOMIE_VERSION", 10, "Version der DFKA-Taxonomie-Kasse"),
            txt("Z_START_ID", 40, "Erste BON_ID im Abschluss"),
            txt("Z_ENDE_ID", 40, "Letzte BON_ID im Abschluss"),
            txt("NAME", 60, "Name des Unternehmens"),
            txt("STRASSE", 60, "Straße"),
            txt("PLZ", 10, "Postleitzahl"),
            txt("ORT", 62, "Ort"),
            txt("LAND", 3, "Land"),
            txt("STNR", 20, "Steuernummer des Unternehmens"),
            txt("USTID", 15, "USTID"),
            num("Z_SE_ZAHLUNGEN", 2, "Summe aller Zahlungen"),
            num("Z_SE_BARZAHLUNGEN", 2, "Summe aller Barzahlungen"),
        ),
        cashpointclosing_rows,
    ),
    Table(
        "location.csv",
        "Stamm_Orte",
        (
            *KEYS,
            txt("LOC_NAME", 60, "Name des Standortes"),
            txt("LOC_STRASSE", 60, "Straße"),
            txt("LOC_PLZ", 10, "Postleitzahl"),
            txt("LOC_ORT", 62, "Ort"),
            txt("LOC_LAND", 3, "Land"),
            txt("LOC_USTID", 15, "USTID"),
        ),
        location_rows,
    ),
    Table(
        "cashregister.csv",
        "Stamm_Kassen",
        (
            *KEYS,
            txt("KASSE_BRAND", 50, "Marke der Kasse"),
            txt("KASSE_MODELL", 50, "Modellbezeichnung"),
            txt("KASSE_SERIENNR", 70, "Seriennummer der Kasse"),
            txt("KASSE_SW_BRAND", 50, "Markenbezeichnung der Software"),
            txt("KASSE_SW_VERSION", 50, "Version der Software"),
            txt("KASSE_BASISWAEH_CODE", 3, "Basiswährung der Kasse"),
            txt("KEINE_UST_ZUORDNUNG", 1, "UmsatzsteuerNichtErmittelbar (bei späterem Zahlungseingang)"),
        ),
        cashregister_rows,
    ),
    Table(
        "slaves.csv",
        "Stamm_Terminals",
        (
            *KEYS,
            txt("TERMINAL_ID", 50, "ID des Terminals"),
            txt("TERMINAL_BRAND", 50, "Marke der Terminals"),
            txt("TERMINAL_MODELL", 50, "Modellbezeichnung des Terminals"),
            txt("TERMINAL_SERIENNR", 70, "Seriennummer des Terminals"),
            txt("TERMINAL_SW_BRAND", 50, "Markenbezeichnung der Software"),
            txt("TERMINAL_SW_VERSION", 50, "Version der Software"),
        ),
        no_rows,
    ),
    Table(
        "pa.csv",
        "Stamm_Agenturen",
        (
            *KEYS,
            num("AGENTUR_ID", 0, "ID der Agentur"),
            txt("AGENTUR_NAME", 60, "Name des Auftraggebers"),
            txt("AGENTUR_STRASSE", 60, "Straße"),
            txt("AGENTUR_PLZ", 10, "Postleitzahl"),
            txt("AGENTUR_ORT", 62, "Ort"),
            txt("AGENTUR_LAND", 3, "Land"),
            txt("AGENTUR_STNR", 20, "Steuernummer des Auftraggebers"),
            txt("AGENTUR_USTID", 15, "USTID des Auftraggebers"),
        ),
        no_rows,
    ),
    Table(
        "tse.csv",
        "Stamm_TSE",
        (
            *KEYS,
            num(
                "TSE_ID",
                0,
                "ID der TSE - wird nur zur Referenzierung innerhalb eines Kassenabschlusses verwendet",
            ),
            txt(
                "TSE_SERIAL",
                68,
                "Seriennummer der TSE (Entspricht laut TR-03153 Abschnitt 7.5. "
                "dem Hashwert des im Zertifikat enthaltenen Schlüssels in "
                "Octet-String-Darstellung)",
            ),
            txt("TSE_SIG_ALGO", 21, "Der von der TSE verwendete Signaturalgorithmus"),
            txt(
                "TSE_ZEITFORMAT",
                31,
                "Das von der TSE verwendete Format für die Log-Time - "
                "'unixTime', 'utcTime' = YYMMDDhhmmZ, 'utcTimeWithSeconds' = "
                "YYMMDDhhmmssZ, 'generalizedTime' = YYYYMMDDhhmmssZ, "
                "'generalizedTimeWithMilliseconds' = YYYYMMDDhhmmss.fffZ",
            ),
            txt("TSE_PD_ENCODING", 5, "Das Text-Encoding der ProcessData (UTF-8 oder ASCII)"),
            txt(
                "TSE_PUBLIC_KEY",
                512,
                "Öffentlicher Schlüssel - extrahiert aus dem Zertifikat der TSE - in base64-Codierung",
            ),
            txt(
                "TSE_ZERTIFIKAT_I",
                1000,
                "Erste 1000 Zeichen des base64-codierten Zertifikats der TSE (in base64-Codierung)",
            ),
            *(
                txt(
                    f"TSE_ZERTIFIKAT_{part}",
                    1000,
                    "Ggf. Rest des base64-codierten Zertifikats der TSE (in base64-Codierung)",
                )
                for part in CERTIFICATE_PARTS[1:]
            ),
        ),
        tse_rows,
    ),
    Table(
        "vat.csv",
        "Stamm_USt",
        (
            *KEYS,
            num("UST_SCHLUESSEL", 0, "ID des Umsatzsteuersatzes"),
            num("UST_SATZ", 2, "Prozentsatz"),
            txt("UST_BESCHR", 55, "Beschreibung"),
        ),
        vat_master_rows,
    ),
    Table(
        "businesscases.csv",
        "Z_GV_Typ",
        (
            *KEYS,
            txt("GV_TYP", 30, "Geschäftsvorfall-Art"),
            txt("GV_NAME", 40, "Name des Geschäftsvorfalls"),
            num("AGENTUR_ID", 0, "ID der Agentur"),
            num("UST_SCHLUESSEL", 0, "ID des USt-Satzes"),
            num("Z_UMS_BRUTTO", 5, AMOUNT[0]),
            num("Z_UMS_NETTO", 5, AMOUNT[1]),
            num("Z_UST", 5, AMOUNT[2]),
        ),
        businesscases_rows,
    ),
    Table(
        "payment.csv",
        "Z_Zahlart",
        (
            *KEYS,
            txt("ZAHLART_TYP", 25, "Typ der Zahlart"),
            txt("ZAHLART_NAME", 60, "Name der Zahlart"),
            num("Z_ZAHLART_BETRAG", 2, "Betrag"),
        ),
        payment_rows,
    ),
    Table(
        "cash_per_currency.csv",
        "Z_Waehrungen",
        (*KEYS, txt("ZAHLART_WAEH", 3, "Währung"), num("ZAHLART_BETRAG_WAEH", 2, "Betrag")),
        cash_per_currency_rows,
    ),
    Table(
        "transactions.csv",
        "Bonkopf",
        (
            *KEYS,
            BON_ID,
            num("BON_NR", 0, "Bonnummer"),
            txt("BON_TYP", 30, "Bontyp"),
            txt("BON_NAME", 60, "Zusatz-Beschreibung zum Bontyp"),
            txt("TERMINAL_ID", 50, "ID des Erfassungsterminals"),
            txt("BON_STORNO", 1, "Storno-Kennzeichen"),
            txt("BON_START", 30, "Zeitpunkt des Vorgangsstarts"),
            txt("BON_ENDE", 30, "Zeitpunkt der Vorgangsbeendigung"),
            txt("BEDIENER_ID", 50, "Bediener-ID"),
            txt("BEDIENER_NAME", 50, "Bediener-Name"),
            num("UMS_BRUTTO", 2, "Brutto-Gesamtumsatz"),
            txt("KUNDE_NAME", 50, "Name des Leistungsempfängers"),
            txt("KUNDE_ID", 50, "Kundennummer des Leistungsempfängers"),
            txt("KUNDE_TYP", 50, "Art des Leistungsempfängers (z. B. Mitarbeiter)"),
            txt("KUNDE_STRASSE", 60, "Straße und Hausnummer des Leistungsempfängers"),
            txt("KUNDE_PLZ", 10, "PLZ des Leistungsempfängers"),
            txt("KUNDE_ORT", 62, "Ort des Leistungsempfängers"),
            txt("KUNDE_LAND", 3, "Land des Leistungsempfängers"),
            txt("KUNDE_USTID", 15, "UStID des Leistungsempfängers"),
            txt("BON_NOTIZ", 255, "Zusätzliche Informationen zum Bonkopf"),
        ),
        transactions_rows,
    ),
    Table(
        "datapayment.csv",
        "Bonkopf_Zahlarten",
        (
            *KEYS,
            BON_ID,
            txt("ZAHLART_TYP", 25, "Typ der Zahlart"),
            txt("ZAHLART_NAME", 60, "Name der Zahlart"),
            txt("ZAHLWAEH_CODE", 3, "Währungscode"),
            num("ZAHLWAEH_BETRAG", 2, "Betrag in Fremdwährung"),
            num("BASISWAEH_BETRAG", 2, "Betrag in Basiswährung (i.d.R. EUR)"),
            txt("KASSENSCHUBLADENNR", 40, "Nummer der Kassenschublade"),
        ),
        datapayment_rows,
    ),
    Table(
        "lines.csv",
        "Bonpos",
        (
            *KEYS,
            BON_ID,
            POS_ZEILE,
            txt("GUTSCHEIN_NR", 50, "Gutschein-Nr."),
            txt("ARTIKELTEXT", 255, "Artikeltext"),
            txt("POS_TERMINAL_ID", 50, "ID des POS-Terminals"),
            txt("GV_TYP", 30, "Geschäftsvorfall-Art"),
            txt("GV_NAME", 40, "Name des Geschäftsvorfalls"),
            txt("INHAUS", 1, "Verzehr an Ort und Stelle"),
            txt("P_STORNO", 1, "Positionsstorno-Kennzeichnung"),
            num("AGENTUR_ID", 0, "ID der Agentur"),
            txt("ART_NR", 50, "Artikelnummer"),
            txt("GTIN", 50, "GTIN"),
            txt("WARENGR_ID", 40, "Warengruppen-ID"),
            txt("WARENGR", 50, "Bezeichnung Warengruppe"),
            num("MENGE", 3, "Menge"),
            num("FAKTOR", 3, "Faktor, z. B. Gebindegrößen"),
            txt("EINHEIT", 50, "Maßeinheit, z. B. kg, Liter oder Stück"),
            num("STK_BR", 5, "Preis pro Einheit inkl. USt"),
        ),
        lines_rows,
    ),
    Table(
        "itemamounts.csv",
        "Bonpos_Preisfindung",
        (
            *KEYS,
            BON_ID,
            POS_ZEILE,
            txt("TYP", 20, "Basispreis, Rabatt oder Zuschlag"),
            num("UST_SCHLUESSEL", 0, "ID des USt-Satzes"),
            num("PF_BRUTTO", 5, AMOUNT[0]),
            num("PF_NETTO", 5, AMOUNT[1]),
            num("PF_UST", 5, AMOUNT[2]),
        ),
        itemamounts_rows,
    ),
    Table(
        "subitems.csv",
        "Bonpos_Zusatzinfo",
        (
            *KEYS,
            BON_ID,
            POS_ZEILE,
            txt("ZI_ART_NR", 50, "Artikelnummer"),
            txt("ZI_GTIN", 50, "GTIN"),
            txt("ZI_NAME", 60, "Artikelbezeichnung"),
            txt("ZI_WARENGR_ID", 40, "Warengruppen-ID"),
            txt("ZI_WARENGR", 50, "Bezeichnung Warengruppe"),
            num("ZI_MENGE", 3, "Menge"),
            num("ZI_FAKTOR", 3, "Faktor, z. B. Gebindegrößen"),
            txt("ZI_EINHEIT", 50, "Maßeinheit, z. B. kg, Liter oder Stück"),
            num("ZI_UST_SCHLUESSEL", 0, "ID USt-Satz des Basispreises"),
            num("ZI_BASISPREIS_BRUTTO", 5, "Basispreis brutto"),
            num("ZI_BASISPREIS_NETTO", 5, "Basispreis netto"),
            num("ZI_BASISPREIS_UST", 5, "Basispreis USt"),
        ),
        no_rows,
    ),
    Table(
        "transactions_tse.csv",
        "TSE_Transaktionen",
        (
            *KEYS,
            BON_ID,
            num("TSE_ID", 0, "Die Id der für eine Transaktion verwendeten TSE"),
            num("TSE_TANR", 0, "Die Transaktionsnummer der TSE-Transaktion"),
            txt("TSE_TA_START", 30, "Die Log-Time der StartTransaction-Operation"),
            txt("TSE_TA_ENDE", 30, "Die Log-Time der FinishTransaction-Operation"),
            txt("TSE_TA_VORGANGSART", 30, "Der processType der FinishTransaction-Operation"),
            num("TSE_TA_SIGZ", 0, "Der Signaturzähler der FinishTransaction-Operation"),
            txt("TSE_TA_SIG", 512, "Die Signatur der FinishTransaction-Operation"),
            txt("TSE_TA_FEHLER", 200, "Beschreibung des TSE-Ausfalls oder Fehlers"),
            txt(
                "TSE_VORGANGSDATEN",
                1000,
                "An die zertifizierte technische Sicherheitseinrichtung "
                "übergebene Daten des Vorgangs (optional)",
            ),
        ),
        transactions_tse_rows,
    ),
    Table(
        "transactions_vat.csv",
        "Bonkopf_USt",
        (
            *KEYS,
            BON_ID,
            num("UST_SCHLUESSEL", 0, "ID des USt-Satzes"),
            num("BON_BRUTTO", 5, AMOUNT[0]),
            num("BON_NETTO", 5, AMOUNT[1]),
            num("BON_UST", 5, AMOUNT[2]),
        ),
        transactions_vat_rows,
    ),
    Table(
        "lines_vat.csv",
        "Bonpos_USt",
        (
            *KEYS,
            BON_ID,
            POS_ZEILE,
            num("UST_SCHLUESSEL", 0, "ID des USt-Satzes"),
            num("POS_BRUTTO", 5, AMOUNT[0]),
            num("POS_NETTO", 5, AMOUNT[1]),
            num("POS_UST", 5, AMOUNT[2]),
        ),
        lines_vat_rows,
    ),
    Table(
        "allocation_groups.csv",
        "Bonkopf_AbrKreis",
        (*KEYS, BON_ID, txt("ABRECHNUNGSKREIS", 50, "z. B. Tischnummer")),
        no_rows,
    ),
    Table(
        "references.csv",
        "Bon_Referenzen",
        (
            *KEYS,
            BON_ID,
            txt(
                "POS_ZEILE",
                50,
                "Zeilennummer des referenzierenden Vorgangs (nicht "
                "bei Verweis aus einem Bonkopf heraus)",
            ),
            txt("REF_TYP", 20, "Art der Referenz"),
            txt("REF_NAME", 40, "Beschreibung bei Art “ExterneSonstige”"),
            txt("REF_DATUM", 30, "Datum des Kassenabschlusses"),
            txt("REF_Z_KASSE_ID", 50, "ID der (Abschluss-) Kasse"),
            num("REF_Z_NR", 0, "Nr. des Kassenabschlusses"),
            txt("REF_BON_ID", 40, "Vorgangs-ID"),
        ),
        references_rows,
    ),
)
