"""Files people download from the network, one module per export:

- files: the file (name, type, bytes), ZIP archives, safe file names; CSV/XLSX cells Excel-safe
- jobcenter: the Jobcenter's monthly hours (XLSX, CSV, or ZIP with one PDF sheet per trainee)
- partner: a partner's copy of one trainee's skills report and hours, as far as consent covers it
- pseudonyms: the keyed pseudonyms of the evaluation and their key
- codebook: the evaluation's columns and codebook
- evaluation: the pseudonymised evaluation dataset (who is in it, its rows, the ZIP)
- person: everything stored about one participant (GDPR Art. 15), collected from every area
- esf: the ESF+ aggregate report

Each export returns an `ExportFile` and writes one audit entry, because every download of personal
data is audit-logged; the caller (the request) commits.
"""

from store.network.exports.codebook import Column, codebook_markdown, evaluation_columns
from store.network.exports.esf import (
    EXIT_QUESTIONS,
    EsfReport,
    esf_export,
    esf_report,
    esf_rows,
    esf_year,
    esf_years,
    exit_question_labels,
    year_period,
)
from store.network.exports.evaluation import (
    MAX_EVALUATION_MONTHS,
    default_evaluation_period,
    evaluation_approved,
    evaluation_export,
    evaluation_included,
    evaluation_rows,
)
from store.network.exports.files import CSV, XLSX, ZIP, ExportFile, ascii_name
from store.network.exports.jobcenter import (
    HOURS_FORMATS,
    default_hours_month,
    hours_export,
    hours_participants,
)
from store.network.exports.partner import ABSENCE_CODES, hours_summary_rows, partner_export
from store.network.exports.person import DATA_README, data_export, person_data
from store.network.exports.pseudonyms import pseudonym, pseudonym_key

__all__ = [
    "ABSENCE_CODES",
    "CSV",
    "DATA_README",
    "EXIT_QUESTIONS",
    "HOURS_FORMATS",
    "MAX_EVALUATION_MONTHS",
    "XLSX",
    "ZIP",
    "Column",
    "EsfReport",
    "ExportFile",
    "ascii_name",
    "codebook_markdown",
    "data_export",
    "default_evaluation_period",
    "default_hours_month",
    "esf_export",
    "esf_report",
    "esf_rows",
    "esf_year",
    "esf_years",
    "evaluation_approved",
    "evaluation_columns",
    "evaluation_export",
    "evaluation_included",
    "evaluation_rows",
    "exit_question_labels",
    "hours_export",
    "hours_participants",
    "hours_summary_rows",
    "partner_export",
    "person_data",
    "pseudonym",
    "pseudonym_key",
    "year_period",
]
