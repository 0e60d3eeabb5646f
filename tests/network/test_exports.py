"""Exports: the Jobcenter's monthly hours, the partner export, the pseudonymised evaluation
dataset, the Art. 15 data export and the ESF+ report; their API and pages.

The evaluation dataset is checked for identifying columns and values against the fixture's
people and against the whole demo data."""

import csv
import io
import json
import re
import stat
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from store.auth.models import User
from store.core.audit import Actor, AuditEntry
from store.core.errors import ValidationError
from store.core.timeutil import local_today
from store.extensions import db
from store.network import exports, services
from store.network.models import ParticipantRecord, Partner
from store.shifts import services as shifts
from store.shifts.models import AttendanceCode, AttendanceEntry, ClockEvent
from store.skills import services as skills
from store.skills.models import AssessmentRating
from tests.conftest import tr

BOM = b"\xef\xbb\xbf"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
NOTE = "Rueckruf bei Frau Privatmann"
REASON = "Vertippt beim Bestaetigen Geheimgrund"
RATING_NOTE = "Sehr zuverlaessig Geheimnotiz"
ABSENCE_NOTE = "Termin beim Amt Geheimtermin"


def unzip(body: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[len(BOM) :].decode()), delimiter=";"))


def audits(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


@pytest.fixture
def activity(net):
    """Confirmed days in October 2026 (one corrected, absences with notes), assessments with
    notes, an evaluation consent for Olena only, and Ahmad's exit at the end of October."""
    for user in (net.olena, net.ahmad):
        for day in (5, 6, 7):
            shifts.confirm_attendance(
                net.sup,
                user,
                date(2026, 10, day),
                "present",
                minutes=240,
                note=NOTE if day == 6 else None,
            )
    shifts.confirm_attendance(
        net.sup, net.olena, date(2026, 10, 7), "present", minutes=180, reason=REASON
    )
    shifts.confirm_attendance(
        net.sup,
        net.olena,
        date(2026, 10, 8),
        "sick_certificate",
        certificate_until=date(2026, 10, 9),
        note=ABSENCE_NOTE,
    )
    shifts.confirm_attendance(net.sup, net.ahmad, date(2026, 10, 8), "unexcused", note=ABSENCE_NOTE)
    catalogue = skills.skills()
    for user, level in ((net.olena, 3), (net.ahmad, 2)):
        skills.record_assessment(
            net.sup,
            user,
            date(2026, 9, 20),
            [
                skills.RatingInput(catalogue[0].id, level - 1, note=RATING_NOTE),
                skills.RatingInput(catalogue[1].id, level),
            ],
        )
        skills.record_assessment(
            net.sup,
            user,
            date(2026, 10, 15),
            [skills.RatingInput(catalogue[0].id, level, note=RATING_NOTE)],
        )
    services.give_consent(
        net.coord, net.olena, partner_id=None, scopes=["evaluation"], given_on=date(2026, 1, 5)
    )
    services.record_exit(
        net.coord,
        net.ahmad,
        exit_on=date(2026, 10, 30),
        reason="job",
        job_seeking=False,
        in_education=False,
        qualification=True,
        employed=True,
    )
    db.session.commit()
    net.skill_a, net.skill_b = catalogue[0], catalogue[1]
    return net


def people_values(users, records) -> list[str]:
    """Every identifying value of these people, in the forms it could appear in."""
    values = []
    for user in users:
        values += [user.username, user.first_name, user.last_name, user.display_name]
        if user.badge:
            values.append(user.badge)
    for record in records:
        values += [
            v for v in (record.customer_number, record.phone, record.email, record.referrer_contact) if v
        ]
        if record.phone:
            values.append(record.phone.replace(" ", ""))
        if record.birth_date:
            b = record.birth_date
            values += [
                b.isoformat(),
                b.strftime("%d.%m.%Y"),
                f"{b.day}.{b.month}.{b.year}",
                b.strftime("%Y%m%d"),
                b.strftime("%d.%m.%y"),
                b.strftime("%m/%d/%Y"),
            ]
    return [v for v in values if v and len(v) >= 3]


def leaks(files: dict[str, bytes], values: list[str]) -> list[tuple[str, str]]:
    found = []
    for name, body in files.items():
        text = body.decode("utf-8-sig")
        for value in values:
            # Whole words, case-sensitive: "Vogel" must not hit "Vogelhaus", digits not more digits.
            if re.search(r"(?<![\w])" + re.escape(value) + r"(?![\w])", text):
                found.append((name, value))
    return found


FIXED_COLUMNS = [
    "pseudonym",
    "month",
    "month_in_programme",
    "measure",
    "age_band_at_entry",
    "gender",
    "employment_status_at_entry",
    "education_isced",
    "entry_complete",
    "hours_planned",
    "hours_confirmed",
    "hours_attended",
    *[f"days_{c.value}" for c in AttendanceCode],
]
EXIT_COLUMNS = [
    "exit_reason",
    "exit_job_seeking",
    "exit_in_education",
    "exit_qualification",
    "exit_employed",
]


def check_columns(header: list[str]) -> None:
    assert header[: len(FIXED_COLUMNS)] == FIXED_COLUMNS
    assert header[-len(EXIT_COLUMNS) :] == EXIT_COLUMNS
    middle = header[len(FIXED_COLUMNS) : -len(EXIT_COLUMNS)]
    assert middle and all(re.fullmatch(r"skill_\d+", c) for c in middle)


# ---------------------------------------------------------------- evaluation: no identifying data


def test_evaluation_has_no_identifying_column_or_value(app, activity):
    net = activity
    app.config["EVALUATION_APPROVED"] = True  # everybody in, so everything could leak
    result = exports.evaluation_export(net.coord, date(2026, 1, 1), date(2026, 10, 31))
    db.session.commit()
    files = unzip(result.body)
    assert set(files) == {"evaluation.csv", "codebook.csv", "codebook.md"}
    rows = csv_rows(files["evaluation.csv"])
    check_columns(rows[0])
    assert len(rows) - 1 == 2 * 10  # two people, January to October

    users = list(db.session.scalars(sa.select(User)))
    records = list(db.session.scalars(sa.select(ParticipantRecord)))
    values = people_values(users, records) + [
        NOTE,
        REASON,
        RATING_NOTE,
        ABSENCE_NOTE,
        "Privatmann",
        "Geheimgrund",
        "Geheimnotiz",
        "Geheimtermin",
        net.jobcenter.name,
        net.workshop.name,
        "Frau Weber",
        "0541 123",
        "Ukrainisch",
    ]
    assert leaks(files, values) == []
    # No column can carry a user id: every pseudonym is the keyed hash, nothing else.
    ids = {str(u.id) for u in users}
    pseudonyms = {r[0] for r in rows[1:]}
    assert pseudonyms == {exports.pseudonym(net.olena.id), exports.pseudonym(net.ahmad.id)}
    assert all(re.fullmatch(r"P-[0-9a-f]{16}", p) for p in pseudonyms)
    assert not pseudonyms & ids

    by_row = {(r[0], r[1]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    olena = by_row[(exports.pseudonym(net.olena.id), "2026-10")]
    assert olena["measure"] == "agh"
    assert olena["age_band_at_entry"] == "30_54"
    assert olena["gender"] == "female"
    assert olena["employment_status_at_entry"] == "long_term_unemployed"
    assert olena["education_isced"] == "isced_3_4"
    assert olena["entry_complete"] == "1"
    assert olena["month_in_programme"] == "10"
    assert olena["hours_confirmed"] == "11,00"  # 4 + 4 + 3 (the correction counts)
    assert olena["hours_attended"] == "11,00"
    assert olena["days_present"] == "3"
    assert olena["days_sick_certificate"] == "1"
    assert olena[f"skill_{net.skill_a.id}"] == "3"
    assert olena[f"skill_{net.skill_b.id}"] == "3"
    assert olena["exit_reason"] == ""
    september = by_row[(exports.pseudonym(net.olena.id), "2026-09")]
    assert september[f"skill_{net.skill_a.id}"] == "2"
    assert by_row[(exports.pseudonym(net.olena.id), "2026-08")][f"skill_{net.skill_a.id}"] == ""
    ahmad = by_row[(exports.pseudonym(net.ahmad.id), "2026-10")]
    assert ahmad["age_band_at_entry"] == "18_29"
    assert ahmad["days_unexcused"] == "1"
    assert (
        ahmad["exit_reason"],
        ahmad["exit_job_seeking"],
        ahmad["exit_in_education"],
        ahmad["exit_qualification"],
        ahmad["exit_employed"],
    ) == ("job", "0", "0", "1", "1")
    assert by_row[(exports.pseudonym(net.ahmad.id), "2026-09")]["exit_reason"] == ""

    codebook = files["codebook.md"].decode()
    for column in rows[0]:
        assert f"`{column}`" in codebook
    assert net.skill_a.name in codebook
    book = csv_rows(files["codebook.csv"])
    assert [r[0] for r in book[1:]] == rows[0]


def _network_demo():
    try:
        from store.network import demo
    except ImportError:
        return None
    return demo if hasattr(demo, "load_records") else None


def test_evaluation_of_the_demo_data_leaks_nothing(app):
    from store import demo

    demo.load()
    db.session.commit()
    # The demo records may not be among the demo loaders yet: load them if they exist.
    network_demo = _network_demo()
    if network_demo is not None and not db.session.scalar(
        sa.select(sa.func.count()).select_from(ParticipantRecord)
    ):
        network_demo.load_records(Actor.system())
        db.session.commit()
    app.config["EVALUATION_APPROVED"] = True
    coordinator = db.session.scalar(sa.select(User).where(User.role == "coordinator"))
    today = local_today()
    result = exports.evaluation_export(Actor(user=coordinator), date(today.year - 2, 1, 1), today)
    db.session.commit()
    files = unzip(result.body)
    rows = csv_rows(files["evaluation.csv"])
    check_columns(rows[0])
    trainees = db.session.scalars(sa.select(User).where(User.role == "trainee")).all()
    assert len({r[0] for r in rows[1:]}) == len(trainees)  # everybody is in it

    users = list(db.session.scalars(sa.select(User)))
    records = list(db.session.scalars(sa.select(ParticipantRecord)))
    texts = [t for t in db.session.scalars(sa.select(AttendanceEntry.note)) if t]
    texts += [t for t in db.session.scalars(sa.select(AttendanceEntry.reason)) if t]
    texts += [t for t in db.session.scalars(sa.select(ClockEvent.reason)) if t]
    texts += [t for t in db.session.scalars(sa.select(AssessmentRating.note)) if t]
    partners = db.session.scalars(sa.select(Partner)).all()
    texts += [p.name for p in partners] + [p.contact for p in partners if p.contact]
    values = people_values(users, records) + texts
    assert records and len(values) > 4 * len(users)
    assert leaks(files, values) == []


# ---------------------------------------------------------------- pseudonyms


def test_pseudonyms_are_stable_and_depend_on_the_key(app, activity):
    net = activity
    app.config["EVALUATION_APPROVED"] = True
    key_file = Path(app.instance_path) / "pseudonym_key"
    assert not key_file.exists()

    def pseudonyms() -> set[str]:
        result = exports.evaluation_export(net.coord, date(2026, 10, 1), date(2026, 10, 31))
        return {r[0] for r in csv_rows(unzip(result.body)["evaluation.csv"])[1:]}

    first = pseudonyms()
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) == 64
    assert pseudonyms() == first  # stable across exports
    assert exports.pseudonym(net.olena.id) in first
    assert exports.pseudonym(net.olena.id) != exports.pseudonym(net.ahmad.id)

    app.config["PSEUDONYM_KEY"] = "another key, kept somewhere else"
    other = pseudonyms()
    assert len(other) == 2 and not other & first
    assert exports.pseudonym(net.olena.id) == exports.pseudonym(
        net.olena.id, "another key, kept somewhere else"
    )
    assert exports.pseudonym(net.olena.id, b"k" * 32) != exports.pseudonym(net.olena.id, b"q" * 32)


# ---------------------------------------------------------------- who is in the evaluation


def test_evaluation_includes_only_consenting_people_unless_approved(app, activity):
    net = activity
    period = (date(2026, 10, 1), date(2026, 10, 31))

    def included() -> set[str]:
        result = exports.evaluation_export(net.coord, *period)
        return {r[0] for r in csv_rows(unzip(result.body)["evaluation.csv"])[1:]}

    assert included() == {exports.pseudonym(net.olena.id)}
    app.config["EVALUATION_APPROVED"] = True
    assert included() == {exports.pseudonym(net.olena.id), exports.pseudonym(net.ahmad.id)}
    app.config["EVALUATION_APPROVED"] = False
    consent = services.consents_of(net.olena.id)[0]
    services.withdraw_consent(net.coord, consent, withdrawn_on=date(2026, 11, 1))
    db.session.commit()
    assert included() == set()
    codebook = unzip(exports.evaluation_export(net.coord, *period).body)["codebook.md"]
    assert (
        tr(
            "Only participants who consented to the evaluation (and have not withdrawn the "
            "consent) are included; data from the Jobcenter may go to research only with "
            "consent or an approval under §75 SGB X."
        )
        in codebook.decode()
    )


def test_evaluation_refuses_bad_periods(app, net):
    with pytest.raises(ValidationError):
        exports.evaluation_export(net.coord, date(2026, 5, 1), date(2026, 4, 30))
    with pytest.raises(ValidationError):
        exports.evaluation_export(net.coord, date(2020, 1, 1), date(2025, 1, 1))
    exports.evaluation_export(net.coord, date(2021, 1, 2), date(2026, 1, 1))  # 5 years: fine


# ---------------------------------------------------------------- the Jobcenter's hours


@pytest.fixture
def tricky(net, make_user):
    """A trainee whose name and notes would be formulas in a spreadsheet."""
    user = make_user("trainee", first_name='=HYPERLINK("x")', last_name="@SUM(1)")
    shifts.save_agreement(
        net.coord,
        None,
        user_id=user.id,
        measure="tam",
        starts_on=date(2026, 10, 1),
        ends_on=None,
        weekly_minutes=30 * 60,
        workdays=[0, 1, 2, 3, 4],
        hourly_allowance_cents=None,
        max_months=None,
    )
    shifts.confirm_attendance(net.sup, user, date(2026, 10, 5), "present", minutes=240, note="+1")
    shifts.confirm_attendance(net.sup, user, date(2026, 10, 6), "present", minutes=240, note="-1+1")
    shifts.confirm_attendance(net.sup, user, date(2026, 10, 7), "excused", note="@cmd")
    user.last_name = "\t-2+3"  # a tab cannot come in through the services; make sure anyway
    db.session.commit()
    return user


def test_hours_zip_has_xlsx_csv_and_one_pdf_per_trainee(app, activity):
    net = activity
    result = exports.hours_export(net.coord, 2026, 10, "zip")
    db.session.commit()
    assert result.filename == "Stunden_2026-10.zip"
    files = unzip(result.body)
    assert set(files) == {
        "Stunden_2026-10.xlsx",
        "Stunden_2026-10.csv",
        "Stunden_2026-10_Kovalenko_Olena.pdf",
        "Stunden_2026-10_Haidari_Ahmad.pdf",
    }
    assert all(body.startswith(b"%PDF") for name, body in files.items() if name.endswith(".pdf"))
    rows = csv_rows(files["Stunden_2026-10.csv"])
    assert {r[0] for r in rows[1:]} == {"Olena Kovalenko", "Ahmad Haidari"}
    book = load_workbook(io.BytesIO(files["Stunden_2026-10.xlsx"]))
    assert len(book.sheetnames) == 3  # overview + one per trainee
    entry = audits("export.hours")[-1]
    assert entry.user_id == net.coordinator.id
    assert entry.data["month"] == "2026-10" and entry.data["format"] == "zip"
    assert entry.data["participants"] == 2


def test_hours_export_of_one_branch(app, activity, tricky):
    """Issue 19: the hours of the trainees of one branch (Filiale); all branches together: all."""
    from store.branches import services as branches

    net = activity
    nord = branches.save_branch(Actor.system(), None, name="Kaufhaus Nord")
    branches.set_user_branches(Actor.system(), net.olena, [nord])
    db.session.commit()
    only = exports.hours_export(net.coord, 2026, 10, "zip", branch_id=nord.id)
    assert only.filename == f"Stunden_2026-10_Filiale{nord.id}.zip"
    assert len([n for n in unzip(only.body) if n.endswith(".pdf")]) == 1
    first = exports.hours_export(net.coord, 2026, 10, "zip", branch_id=branches.first_branch_id())
    assert len([n for n in unzip(first.body) if n.endswith(".pdf")]) == 2


def test_hours_export_of_one_measure(app, activity, tricky):
    net = activity
    everybody = unzip(exports.hours_export(net.coord, 2026, 10, "zip").body)
    assert len([n for n in everybody if n.endswith(".pdf")]) == 3
    agh = exports.hours_export(net.coord, 2026, 10, "zip", measure="agh")
    assert agh.filename == "Stunden_2026-10_agh.zip"
    assert len([n for n in unzip(agh.body) if n.endswith(".pdf")]) == 2
    tam = unzip(exports.hours_export(net.coord, 2026, 10, "zip", measure="tam").body)
    assert [n for n in tam if n.endswith(".pdf")] == ["Stunden_2026-10_2_3_HYPERLINK_x.pdf"]
    with pytest.raises(ValidationError):
        exports.hours_export(net.coord, 2026, 10, "zip", measure="nonsense")
    with pytest.raises(ValidationError):
        exports.hours_export(net.coord, 2026, 10, "pdf")


def test_formula_injection_is_neutralised(app, activity, tricky):
    net = activity
    text = csv_rows(exports.hours_export(net.coord, 2026, 10, "csv").body)
    assert len(text) > 3
    assert all(not cell.startswith(DANGEROUS) for row in text for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for row in text for cell in row)
    assert any(cell == "'+1" for row in text for cell in row)
    assert any(cell == "'-1+1" for row in text for cell in row)

    book = load_workbook(io.BytesIO(exports.hours_export(net.coord, 2026, 10, "xlsx").body))
    strings = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    strings.append(cell.value)
    assert strings and not [s for s in strings if s.startswith(DANGEROUS)]
    assert any(s.startswith("'=HYPERLINK") for s in strings)
    assert "'@cmd" in strings

    app.config["EVALUATION_APPROVED"] = True
    files = unzip(exports.evaluation_export(net.coord, date(2026, 1, 1), date(2026, 10, 31)).body)
    for name in ("evaluation.csv", "codebook.csv"):
        rows = csv_rows(files[name])
        assert all(not cell.startswith(DANGEROUS) for row in rows for cell in row), name
    header = files["evaluation.csv"][len(BOM) :].split(b"\r\n")[0]
    assert b";" in header and b"," not in header


# ---------------------------------------------------------------- partners

NOVEMBER = datetime(2026, 11, 20, 10, tzinfo=UTC)  # the partner export runs up to this month


def test_partner_export_only_with_consent(app, activity):
    net = activity
    with pytest.raises(ValidationError) as refused:
        exports.partner_export(net.coord, net.olena, net.workshop, now=NOVEMBER)
    assert net.workshop.name in refused.value.message
    assert audits("export.partner") == []

    services.give_consent(
        net.coord, net.olena, partner_id=net.workshop.id, scopes=["hours"], given_on=date(2026, 11, 1)
    )
    db.session.commit()
    with pytest.raises(ValidationError):  # the sick day is not seen yet
        exports.partner_export(net.coord, net.olena, net.workshop, now=NOVEMBER)
    seen = services.to_see(net.olena)
    services.mark_shown(net.coord, net.olena, services.ToSee([], seen.absences), how="talk")
    db.session.commit()
    result = exports.partner_export(net.coord, net.olena, net.workshop, now=NOVEMBER)
    db.session.commit()
    files = unzip(result.body)
    assert list(files) == ["Stunden_Kovalenko_Olena.csv"]
    rows = csv_rows(files["Stunden_Kovalenko_Olena.csv"])
    october = next(r for r in rows if r[0] == "2026-10")
    assert october[1:3] == ["11,00", "11,00"]
    assert rows[0][3 + list(exports.ABSENCE_CODES).index(AttendanceCode.SICK_CERTIFICATE)]
    assert october[3 + list(exports.ABSENCE_CODES).index(AttendanceCode.SICK_CERTIFICATE)] == "1"
    assert rows[1][0] == "2026-01" and rows[-1][0] == "2026-11"
    entry = audits("export.partner")[-1]
    assert entry.object_type == "user" and entry.object_id == str(net.olena.id)
    assert entry.data["parts"] == ["hours"]

    # Skills only after the participant has seen the assessments.
    services.give_consent(
        net.coord, net.olena, partner_id=net.workshop.id, scopes=["skills"], given_on=date(2026, 11, 1)
    )
    db.session.commit()
    with pytest.raises(ValidationError):
        exports.partner_export(net.coord, net.olena, net.workshop, now=NOVEMBER)
    services.mark_shown(net.coord, net.olena, services.to_see(net.olena), how="talk")
    db.session.commit()
    files = unzip(exports.partner_export(net.coord, net.olena, net.workshop, now=NOVEMBER).body)
    assert set(files) == {"Kompetenznachweis_Kovalenko_Olena.pdf", "Stunden_Kovalenko_Olena.csv"}
    assert files["Kompetenznachweis_Kovalenko_Olena.pdf"].startswith(b"%PDF")
    # Another partner still gets nothing.
    with pytest.raises(ValidationError):
        exports.partner_export(net.coord, net.olena, net.jobcenter, now=NOVEMBER)


# ---------------------------------------------------------------- Art. 15


def test_data_export_holds_the_persons_data_and_nobody_elses(app, activity):
    net = activity
    services.give_consent(
        net.coord, net.olena, partner_id=net.workshop.id, scopes=["hours"], given_on=date(2026, 11, 1)
    )
    db.session.commit()
    result = exports.data_export(net.coord, net.olena)
    db.session.commit()
    files = unzip(result.body)
    assert set(files) == {"data.json", "README.txt"}
    readme = files["README.txt"].decode()
    assert "Art. 15 DSGVO" in readme and "Art. 15 GDPR" in readme
    data = json.loads(files["data.json"])
    assert data["person"]["first_name"] == "Olena"
    assert data["person"]["badge"] == "1000101"
    assert "password_hash" not in json.dumps(data) and "pin_hash" not in json.dumps(data)
    assert data["participant_record"]["birth_date"] == "1990-04-02"
    assert data["participant_record"]["customer_number"] == "123D456789"
    assert data["entry_on"] == "2026-01-05"
    assert data["agreements"][0]["measure"] == "agh"
    assert {tuple(c["scopes"]) for c in data["consents"]} == {("evaluation",), ("hours",)}
    entries = data["attendance_entries"]
    assert len(entries) == 5  # the replaced entry is there too
    assert sum(1 for e in entries if e["replaced"]) == 1
    assert any(e["reason"] == REASON for e in entries)
    assert any(e["note"] == ABSENCE_NOTE for e in entries)
    assert data["assessments"][0]["ratings"][0]["note"] == RATING_NOTE
    assert data["assessments"][0]["assessor"] == net.supervisor.short_name
    assert data["outbox_events"] and all(
        e["data"]["participant"]["id"] == net.olena.id for e in data["outbox_events"]
    )
    actions = {a["action"] for a in data["audit"]}
    assert {
        "participant.record.save",
        "consent.give",
        "attendance.confirm",
        "attendance.correct",
        "skill.assess",
    } <= actions
    assert all(set(a) == {"at", "action", "object_type", "object_id", "by_self"} for a in data["audit"])

    # Ahmad's own values (the fixture gives both the same phone and contact person).
    others = [
        "Ahmad",
        "Haidari",
        net.ahmad.username,
        "1000102",
        "987E654321",
        "2003-09-17",
        "17.09.2003",
    ]
    assert leaks(files, others) == []

    entry = audits("export.data")[-1]
    assert entry.object_type == "user" and entry.object_id == str(net.olena.id)


def test_data_export_works_without_a_record(app, net, make_user):
    lea = make_user("trainee", first_name="Lea", last_name="Neumann")
    data = json.loads(unzip(exports.data_export(net.coord, lea).body)["data.json"])
    assert data["person"]["last_name"] == "Neumann"
    assert data["participant_record"] is None
    assert data["attendance_entries"] == [] and data["entry_on"] is None


# ---------------------------------------------------------------- ESF+


def test_esf_report_counts_complete_entries_and_exits(app, activity, make_user):
    net = activity
    newcomer = make_user("trainee", first_name="Lea", last_name="Neumann")
    shifts.save_agreement(
        net.coord,
        None,
        user_id=newcomer.id,
        measure="agh",
        starts_on=date(2026, 3, 2),
        ends_on=None,
        weekly_minutes=15 * 60,
        workdays=[0, 1, 2],
        hourly_allowance_cents=None,
        max_months=24,
    )
    db.session.commit()
    report = exports.esf_report(2026)
    assert report.entries == 2 and report.incomplete == 1
    assert [p.id for p, _missing in report.incomplete_people] == [newcomer.id]
    assert report.gender == {"female": 1, "male": 1, "non_binary": 0}
    assert report.employment_status["long_term_unemployed"] == 2
    assert report.age_band == {"under_18": 0, "18_29": 1, "30_54": 1, "55_plus": 0}
    assert report.education["isced_3_4"] == 2
    assert report.exits == 1 and report.exit_reason["job"] == 1
    assert report.exit_answers["exit_employed"] == {"yes": 1, "no": 0}
    assert report.exit_answers["exit_job_seeking"] == {"yes": 0, "no": 1}
    assert exports.esf_report(2025).entries == 0

    result = exports.esf_export(net.coord, 2026)
    db.session.commit()
    rows = csv_rows(result.body)
    assert ["entries", "counted", rows[1][2], "2"] == rows[1]
    assert ["gender", "female"] == rows[3][:2] and rows[3][3] == "1"
    assert leaks({"esf": result.body}, ["Neumann", "Olena", "Haidari"]) == []
    assert audits("export.esf")[-1].data["year"] == 2026


# ---------------------------------------------------------------- API


@pytest.mark.parametrize("role", ["supervisor", "trainee", "admin"])
def test_api_is_for_coordinators_only(app, client, net, make_user, api_token, role):
    headers = api_token(make_user(role))
    for path in (
        "/api/v1/exports/hours?month=2026-10&format=csv",
        "/api/v1/exports/evaluation?from=2026-01-01&to=2026-10-31",
        f"/api/v1/participants/{net.olena.id}/data-export",
    ):
        response = client.get(path, headers=headers)
        assert response.status_code == 403, path
        assert response.mimetype == "application/problem+json"
    assert audits("export.hours") == [] and audits("export.data") == []


def test_api_downloads(app, client, activity, api_token):
    net = activity
    headers = api_token(net.coordinator)
    expected = {"zip": "application/zip", "csv": "text/csv", "xlsx": exports.XLSX}
    for fmt, mimetype in expected.items():
        response = client.get(
            f"/api/v1/exports/hours?month=2026-10&format={fmt}&measure=agh", headers=headers
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == mimetype
        assert response.headers["Content-Disposition"] == (
            f"attachment; filename*=UTF-8''Stunden_2026-10_agh.{fmt}"
        )
    assert len(audits("export.hours")) == 3
    assert unzip(client.get("/api/v1/exports/hours?month=2026-10", headers=headers).data)

    response = client.get("/api/v1/exports/evaluation?from=2026-01-01&to=2026-10-31", headers=headers)
    assert response.status_code == 200
    assert set(unzip(response.data)) == {"evaluation.csv", "codebook.csv", "codebook.md"}
    assert audits("export.evaluation")[-1].source == "api"

    response = client.get(f"/api/v1/participants/{net.olena.id}/data-export", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert json.loads(unzip(response.data)["data.json"])["person"]["id"] == net.olena.id
    assert audits("export.data")[-1].object_id == str(net.olena.id)
    response = client.get(f"/api/v1/participants/{net.supervisor.id}/data-export", headers=headers)
    assert response.status_code == 404

    spec = client.get("/api/v1/openapi.json").json
    assert "application/zip" in spec["paths"]["/exports/hours"]["get"]["responses"]["200"]["content"]
    assert {p["name"] for p in spec["paths"]["/exports/evaluation"]["get"]["parameters"]} == {
        "from",
        "to",
    }


@pytest.mark.parametrize(
    "path, field",
    [
        ("/api/v1/exports/hours?month=2026-13&format=zip", "month"),
        ("/api/v1/exports/hours?month=Oktober&format=zip", "month"),
        ("/api/v1/exports/hours?format=zip", "month"),
        ("/api/v1/exports/hours?month=2026-10&format=pdf", "format"),
        ("/api/v1/exports/hours?month=2026-10&measure=abc", "measure"),
        ("/api/v1/exports/evaluation?from=2026-02-30&to=2026-10-31", "from"),
        ("/api/v1/exports/evaluation?from=01.01.2026&to=2026-10-31", "from"),
        ("/api/v1/exports/evaluation?from=2026-05-01", "to"),
        ("/api/v1/exports/evaluation?from=2026-05-01&to=2026-04-30", "to"),
        ("/api/v1/exports/evaluation?from=2019-01-01&to=2026-04-30", "to"),
    ],
)
def test_api_refuses_bad_input_with_a_problem(app, client, net, api_token, path, field):
    response = client.get(path, headers=api_token(net.coordinator))
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert body["detail"]
    assert field in (body.get("field") or "") or any(
        field == (e.get("field") or "") for e in body.get("errors", [])
    ), body
    if path.endswith("month=2026-13&format=zip"):
        assert body["detail"] == tr("Please give the month as YYYY-MM, e.g. 2026-03.")
    if path.endswith("to=2026-04-30") and "2026-05-01" in path:
        assert body["detail"] == tr("The last day is before the first day.")
    assert audits("export.hours") == [] and audits("export.evaluation") == []


# ---------------------------------------------------------------- pages


def test_pages_for_coordinators(app, client, activity, login):
    net = activity
    login(net.coordinator)
    home = client.get("/").get_data(as_text=True)
    assert "/exports/" in home
    page = client.get("/exports/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for msgid in ("Hours for the Jobcenter", "Evaluation dataset", "ESF+ report"):
        assert tr(msgid) in text
    assert 'name="format" value="xlsx"' in text

    response = client.get("/exports/hours?month=2026-10&measure=agh&format=xlsx")
    assert response.status_code == 200 and response.mimetype == exports.XLSX
    assert audits("export.hours")[-1].data["measure"] == "agh"
    response = client.get("/exports/hours?month=2026-99&format=csv")
    assert response.status_code == 302 and "month=2026-99" in response.headers["Location"]
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="2026-99"' in again
    assert tr("Please give the month as YYYY-MM, e.g. 2026-03.") in again

    response = client.get("/exports/evaluation?first=2026-01-01&last=2026-10-31")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert audits("export.evaluation")[-1].source == "web"
    assert client.get("/exports/evaluation?first=2026-05-01&last=2026-01-01").status_code == 302

    report = client.get("/exports/esf?year=2026")
    assert report.status_code == 200
    assert tr("Entries with complete data (counted)") in report.get_data(as_text=True)
    csv_file = client.get("/exports/esf.csv?year=2026")
    assert csv_file.status_code == 200 and csv_file.data.startswith(BOM)

    refused = client.get(
        f"/exports/participants/{net.olena.id}/partner/{net.workshop.id}"
        f"?next=/network/participants/{net.olena.id}"
    )
    assert refused.status_code == 302
    assert refused.headers["Location"].endswith(f"/network/participants/{net.olena.id}")
    assert audits("export.partner") == []
    services.give_consent(
        net.coord, net.olena, partner_id=net.workshop.id, scopes=["hours"], given_on=date(2026, 11, 1)
    )
    services.mark_shown(net.coord, net.olena, services.to_see(net.olena), how="talk")
    db.session.commit()
    sent = client.get(f"/exports/participants/{net.olena.id}/partner/{net.workshop.id}")
    assert sent.status_code == 200 and sent.mimetype == "application/zip"
    assert len(audits("export.partner")) == 1

    data = client.get(f"/exports/participants/{net.olena.id}/data")
    assert data.status_code == 200
    assert "attachment" in data.headers["Content-Disposition"]
    assert len(audits("export.data")) == 1
    assert client.get(f"/exports/participants/{net.supervisor.id}/data").status_code == 404


@pytest.mark.parametrize("role", ["supervisor", "trainee", "admin"])
def test_pages_refuse_other_roles(app, client, net, make_user, login, role):
    login(make_user(role))
    for path in (
        "/exports/",
        "/exports/hours?month=2026-10&format=csv",
        f"/exports/participants/{net.olena.id}/data",
        "/exports/esf?year=2026",
    ):
        assert client.get(path).status_code == 403, path
    assert "/exports/" not in client.get("/").get_data(as_text=True)


def test_a_plain_negative_amount_stays_a_number():
    from store.core.exports import safe_cell

    assert safe_cell("-1,50") == "-1,50"
    assert safe_cell("-1,50+cmd") == "'-1,50+cmd"
    assert safe_cell("-A1") == "'-A1"


def test_hours_sheets_carry_the_jobcenter_customer_number(app, activity):
    files = unzip(exports.hours_export(activity.coord, 2026, 10, "zip").body)
    rows = csv_rows(files["Stunden_2026-10.csv"])
    number = rows[0].index("Kundennummer")
    assert {r[number] for r in rows[1:] if r[0] == "Olena Kovalenko"} == {"123D456789"}
    book = load_workbook(io.BytesIO(files["Stunden_2026-10.xlsx"]))
    assert "123D456789" in [c.value for c in book.worksheets[0]["L"]]
