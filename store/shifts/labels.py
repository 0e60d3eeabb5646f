"""Words for codes, measures and weekdays, translated when shown."""

from flask_babel import lazy_gettext as _l

from store.shifts.models import AttendanceCode, Measure

CODE_LABELS = {
    AttendanceCode.PRESENT: _l("present"),
    AttendanceCode.SICK_CERTIFICATE: _l("sick with certificate"),
    AttendanceCode.SICK_NO_CERTIFICATE: _l("sick without certificate"),
    AttendanceCode.CHILD_SICK: _l("child sick"),
    AttendanceCode.EXCUSED: _l("excused"),
    AttendanceCode.UNEXCUSED: _l("unexcused"),
    AttendanceCode.LEAVE: _l("leave"),
    AttendanceCode.PUBLIC_HOLIDAY: _l("public holiday"),
    AttendanceCode.EXTERNAL_MEASURE: _l("external measure"),
}

# Short codes for the printed sheet (one column, one code a day).
CODE_SHORT = {
    AttendanceCode.PRESENT: "A",
    AttendanceCode.SICK_CERTIFICATE: "K",
    AttendanceCode.SICK_NO_CERTIFICATE: "KO",
    AttendanceCode.CHILD_SICK: "KK",
    AttendanceCode.EXCUSED: "E",
    AttendanceCode.UNEXCUSED: "U",
    AttendanceCode.LEAVE: "UL",
    AttendanceCode.PUBLIC_HOLIDAY: "F",
    AttendanceCode.EXTERNAL_MEASURE: "M",
}

MEASURE_LABELS = {
    Measure.AGH: _l("Work opportunity (AGH, §16d SGB II)"),
    Measure.TAM: _l("Participation in the labour market (§16i SGB II)"),
    Measure.INTERNSHIP: _l("Internship"),
    Measure.APPRENTICESHIP: _l("Apprenticeship"),
    Measure.VOLUNTEER: _l("Volunteer"),
}

MEASURE_SHORT = {
    Measure.AGH: _l("AGH §16d"),
    Measure.TAM: _l("§16i"),
    Measure.INTERNSHIP: _l("Internship"),
    Measure.APPRENTICESHIP: _l("Apprenticeship"),
    Measure.VOLUNTEER: _l("Volunteer"),
}

KIND_LABELS = {"in": _l("Clock in"), "out": _l("Clock out"), "void": _l("removed")}
SOURCE_LABELS = {"web": _l("web"), "api": _l("API"), "cli": _l("server"), "correction": _l("correction")}

WEEKDAYS = [
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
]
WEEKDAYS_SHORT = [_l("Mo"), _l("Tu"), _l("We"), _l("Th"), _l("Fr"), _l("Sa"), _l("Su")]


def weekday_list(days) -> str:
    """[0, 1, 2, 3, 4] → 'Mo–Fr'; [0, 2] → 'Mo, We'."""
    days = sorted(days or [])
    if not days:
        return "–"
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAYS_SHORT[days[0]]}–{WEEKDAYS_SHORT[days[-1]]}"
    return ", ".join(str(WEEKDAYS_SHORT[d]) for d in days)
