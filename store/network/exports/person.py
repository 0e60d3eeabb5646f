"""Everything stored about one participant (GDPR Art. 15): data.json and a bilingual README.

Each area declares what it holds about a person (store/<area>/personal_data.py, registered with
store.core.personal_data); this module only collects. data.json has `generated_at` and
`controller`, then every registered section under its name, in the order of
store.network.personal_data.SECTION_ORDER (which the README below lists), then `audit`: the log
entries about the person and the rows the sections exported, and what the person did.
"""

import json
from datetime import date, datetime
from enum import Enum

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from store.auth.models import User
from store.core import personal_data
from store.core.access import Role
from store.core.audit import Actor, AuditEntry, audit
from store.core.errors import ValidationError
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.network.exports.files import ZIP, ExportFile, ascii_name, zip_files
from store.network.personal_data import SECTION_ORDER

# The README of the Art. 15 export is bilingual by design (German and English in one file),
# so it is not translated.
DATA_README = """\
Auskunft nach Art. 15 DSGVO / Access under Art. 15 GDPR
========================================================

Deutsch
-------
Diese Datei enthält alle Daten, die das Kaufhaus über die genannte Person
gespeichert hat, maschinenlesbar in data.json (JSON, UTF-8). Datumsangaben im
Format JJJJ-MM-TT, Zeitpunkte in UTC nach ISO 8601.

Inhalt von data.json:
- person: das Benutzerkonto (ohne Passwort und PIN, die nur verschlüsselt
  gespeichert sind)
- participant_record: die Teilnehmendenakte (Kontakt, Zuweisung,
  ESF+-Angaben, Austritt), falls angelegt
- agreements: die Vereinbarungen zur Maßnahme (Zeitraum, Stunden, Entschädigung)
- consents: Einwilligungen (was an wen weitergegeben werden darf, seit wann,
  Widerruf)
- marks: Vermerke "der Person gezeigt" und "dem Jobcenter gemeldet"
- shifts, shift_templates: geplante Schichten und feste Schichtmuster
- clock_events: Kommen/Gehen mit Korrekturen
- attendance_entries: bestätigte Tage und Abwesenheiten, auch ersetzte Einträge
- month_closings: Monatsabschlüsse, die die Person betreffen
- assessments, goals, evidence: Kompetenzeinschätzungen mit Stufen und
  Notizen, Ziele, Nachweise aus der Arbeit (Zahlen)
- sales: Verkäufe, bei denen die Person an der Kasse stand (nur Nummer, Datum,
  Betrag, Art)
- outbox_events: Meldungen an Partner und ihr Zustellstatus je Partner
- audit: Protokolleinträge über die Person, ihre Akte und ihre Buchungen sowie
  Handlungen der Person (Zeitpunkt, Aktion, Objekt)
- api_tokens, calendar_links, login_attempts: Zugänge und Anmeldeversuche

Fragen zur Verarbeitung beantwortet die Koordination.

English
-------
This file holds everything the store keeps about the person named, in
machine-readable form in data.json (JSON, UTF-8). Dates are YYYY-MM-DD, points
in time are UTC in ISO 8601.

Contents of data.json:
- person: the user account (without password and PIN, which are only stored
  as hashes)
- participant_record: the participant record (contact, referral, ESF+ data,
  exit), if there is one
- agreements: the agreements of the measure (period, hours, allowance)
- consents: what may be shared with whom, since when, withdrawals
- marks: "shown to the person" and "reported to the Jobcenter" marks
- shifts, shift_templates: planned shifts and regular shift patterns
- clock_events: clocking in and out, with corrections
- attendance_entries: confirmed days and absences, replaced entries included
- month_closings: month closings that concern the person
- assessments, goals, evidence: skill assessments with levels and notes,
  goals, evidence from the work (figures)
- sales: sales the person booked at the till (number, date, total, kind only)
- outbox_events: messages to partners and their delivery status per partner
- audit: log entries about the person, their record and their bookings, and
  actions of the person (time, action, object)
- api_tokens, calendar_links, login_attempts: access tokens and sign-in attempts

The coordination team answers questions about the processing.
"""


def _json_default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"not serialisable: {type(value).__name__}")


def person_data(participant: User, *, now: datetime | None = None) -> dict:
    """Everything stored about one participant, as plain JSON-ready data: each area's sections
    in the documented order, then the audit log about them."""
    now = as_utc(now)
    data: dict = {
        "generated_at": now,
        "controller": {
            "name": current_app.config.get("STORE_NAME"),
            "address": current_app.config.get("STORE_ADDRESS") or None,
        },
    }
    own: dict[str, list] = {}
    for section in personal_data.sections(SECTION_ORDER):
        if section.export is None:
            continue
        data[section.name] = section.export(participant, now)
        if section.audit_type:
            own.setdefault(section.audit_type, []).extend(personal_data.exported_ids(data[section.name]))
    data["audit"] = audit_entries(participant.id, own)
    return data


def audit_entries(uid: int, own: dict[str, list]) -> list[dict]:
    """The log: entries about the person and the things that are theirs (object type → ids),
    and what they did."""
    conditions = [AuditEntry.user_id == uid]
    for object_type, ids in own.items():
        for n in range(0, len(ids), 500):
            conditions.append(
                sa.and_(
                    AuditEntry.object_type == object_type,
                    AuditEntry.object_id.in_([str(i) for i in ids[n : n + 500]]),
                )
            )
    return [
        {
            "at": a.at,
            "action": a.action,
            "object_type": a.object_type,
            "object_id": a.object_id,
            "by_self": a.user_id == uid,
        }
        for a in db.session.scalars(
            sa.select(AuditEntry).where(sa.or_(*conditions)).order_by(AuditEntry.at, AuditEntry.id)
        )
    ]


def data_export(actor: Actor, participant: User, *, now: datetime | None = None) -> ExportFile:
    """Everything stored about one participant (GDPR Art. 15): data.json and a README."""
    now = as_utc(now)
    if participant.role != Role.TRAINEE:
        raise ValidationError(_("This export is made for participants only."))
    body = json.dumps(
        person_data(participant, now=now), default=_json_default, ensure_ascii=False, indent=2
    )
    stem = ascii_name(participant.last_name, participant.first_name)
    result = ExportFile(
        f"Auskunft_{stem}_{local_today(now).isoformat()}.zip",
        ZIP,
        zip_files([("data.json", body.encode()), ("README.txt", DATA_README.encode())]),
    )
    audit(actor, "export.data", participant, {"file": result.filename}, now=now)
    return result
