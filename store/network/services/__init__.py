"""The network's services: participant records, consents, "shown" and "reported" marks, partners,
and the outbox events. Views, the API, the exports, the worker and tests call them as
`services.save_record(...)`; each lives in the module of its use case:

- common: what the modules share (event scopes, cleaning typed text, a participant's record)
- partners: the partners and the address and secret their events go to
- consents: what may go to whom, the withdrawal that stops it, `covers` (asked before anything goes)
- records: who sees records, entry data, entry and end dates, the completed entry, the exit
- marks: what a participant has still to see, and the "shown" marks that release it
- reports: unexcused absences and dropouts the Jobcenter must hear about, and the "reported" marks
- events: outbox events (write, release, hold), the back-off of the worker, names on the outbox page
- receivers: the signal receivers that turn other areas' bookings into events (`connect`)
"""

from store.network.services.common import EVENT_SCOPES, EVENT_TYPES, UNHELD_CODES, record_of
from store.network.services.consents import (
    cancel_uncovered,
    consenting_partners,
    consents_of,
    covers,
    get_consent,
    give_consent,
    is_active,
    withdraw_consent,
)
from store.network.services.events import (
    add_event,
    backoff_seconds,
    release,
    release_held,
    shown_name,
)
from store.network.services.marks import (
    ToSee,
    mark_shown,
    marks_of,
    to_see,
    unseen_absences_in,
    unseen_among,
)
from store.network.services.partners import get_partner, list_partners, save_partner
from store.network.services.receivers import connect
from store.network.services.records import (
    AGE_BANDS,
    ENTRY_FIELDS,
    ParticipantRow,
    age_band,
    audited_view,
    check_changeable,
    complete_entry,
    customer_numbers,
    end_date,
    entry_date,
    looks_are_logged,
    missing_entry_fields,
    participant_rows,
    record_exit,
    referral_partners,
    save_record,
)
from store.network.services.reports import PromptReport, mark_reported, prompt_reports
from store.skills.services import get_participant  # the one participant lookup (skills'), for views

__all__ = [
    "AGE_BANDS",
    "ENTRY_FIELDS",
    "EVENT_SCOPES",
    "EVENT_TYPES",
    "UNHELD_CODES",
    "PromptReport",
    "ParticipantRow",
    "ToSee",
    "add_event",
    "age_band",
    "audited_view",
    "backoff_seconds",
    "cancel_uncovered",
    "check_changeable",
    "complete_entry",
    "connect",
    "consenting_partners",
    "consents_of",
    "covers",
    "customer_numbers",
    "end_date",
    "entry_date",
    "get_consent",
    "get_partner",
    "get_participant",
    "give_consent",
    "is_active",
    "list_partners",
    "looks_are_logged",
    "mark_reported",
    "mark_shown",
    "marks_of",
    "missing_entry_fields",
    "participant_rows",
    "prompt_reports",
    "record_exit",
    "record_of",
    "referral_partners",
    "release",
    "release_held",
    "save_partner",
    "save_record",
    "shown_name",
    "to_see",
    "unseen_absences_in",
    "unseen_among",
    "withdraw_consent",
]
