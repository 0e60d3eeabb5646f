"""Words for the participant record's codes, translated when shown."""

from flask_babel import lazy_gettext as _l

from store.network.models import (
    ConsentBasis,
    ConsentScope,
    DeliveryStatus,
    Education,
    EmploymentStatus,
    ExitReason,
    Gender,
    PartnerKind,
)

PARTNER_KINDS = {
    PartnerKind.JOBCENTER: _l("Jobcenter"),
    PartnerKind.MUNICIPALITY: _l("Municipality"),
    PartnerKind.YOUTH_WORKSHOP: _l("Youth vocational workshop"),
    PartnerKind.YOUTH_SERVICES: _l("Youth services"),
    PartnerKind.SCHOOL: _l("School"),
    PartnerKind.EMPLOYER: _l("Employer"),
    PartnerKind.UNIVERSITY: _l("University (evaluation)"),
    PartnerKind.OTHER: _l("Other"),
}

GENDERS = {
    Gender.FEMALE: _l("female"),
    Gender.MALE: _l("male"),
    Gender.NON_BINARY: _l("non-binary"),
}

EMPLOYMENT = {
    EmploymentStatus.UNEMPLOYED: _l("unemployed"),
    EmploymentStatus.LONG_TERM_UNEMPLOYED: _l("long-term unemployed"),
    EmploymentStatus.INACTIVE: _l("inactive (not seeking work)"),
    EmploymentStatus.EMPLOYED: _l("employed"),
}

EDUCATION = {
    Education.ISCED_0_2: _l("ISCED 0–2 (up to lower secondary)"),
    Education.ISCED_3_4: _l("ISCED 3–4 (upper secondary, vocational)"),
    Education.ISCED_5_8: _l("ISCED 5–8 (tertiary)"),
}

EXIT_REASONS = {
    ExitReason.JOB: _l("job"),
    ExitReason.APPRENTICESHIP: _l("apprenticeship"),
    ExitReason.FURTHER_MEASURE: _l("further measure"),
    ExitReason.EDUCATION: _l("school or education"),
    ExitReason.MEASURE_ENDED: _l("measure ended as planned"),
    ExitReason.DROPOUT: _l("dropout"),
    ExitReason.HEALTH: _l("health"),
    ExitReason.MOVED: _l("moved away"),
    ExitReason.OTHER: _l("other"),
}

SCOPES = {
    ConsentScope.HOURS: _l("hours and absences"),
    ConsentScope.SKILLS: _l("skills and assessments"),
    ConsentScope.EXIT: _l("exit"),
    ConsentScope.EVALUATION: _l("pseudonymised evaluation"),
    ConsentScope.SENSITIVE: _l("ESF+ special categories (disability, minority)"),
}

BASES = {
    ConsentBasis.CONSENT: _l("consent of the person"),
    ConsentBasis.LAW: _l("legal duty to report (§61 SGB II)"),
}

AGE_BANDS = {
    "under_18": _l("under 18"),
    "18_29": _l("18 to 29"),
    "30_54": _l("30 to 54"),
    "55_plus": _l("55 and over"),
}

DELIVERY_STATUS = {
    DeliveryStatus.PENDING: _l("pending"),
    DeliveryStatus.DELIVERED: _l("delivered"),
    DeliveryStatus.FAILED: _l("failed"),
    DeliveryStatus.CANCELLED: _l("cancelled"),
}

EVENT_LABELS = {
    "attendance.confirmed": _l("day confirmed"),
    "month.closed": _l("month closed"),
    "assessment.recorded": _l("assessment recorded"),
    "participant.exited": _l("participant exited"),
}

FIELD_LABELS = {
    "birth_date": _l("date of birth"),
    "gender": _l("gender"),
    "employment_status": _l("employment status"),
    "education": _l("education"),
    "agreement": _l("agreement (measure)"),
}

# Yes/no/unanswered, for the optional ESF+ special categories and the exit questions.
YES_NO = {True: _l("yes"), False: _l("no"), None: _l("not given")}
