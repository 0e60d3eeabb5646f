"""A trainee's shifts as an iCalendar feed for the phone (RFC 5545, via the icalendar library).

Every shift keeps one UID; a change raises SEQUENCE and LAST-MODIFIED, a cancelled shift stays in
the feed as STATUS:CANCELLED, so calendar apps update or remove it instead of keeping a stale copy.
"""

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event

from store.auth.models import User
from store.core.timeutil import local_today, utcnow
from store.shifts import services
from store.shifts.models import ShiftStatus

PAST_DAYS = 28
FUTURE_DAYS = 84


def feed(user: User, *, now: datetime | None = None, host: str = "kaufhaus") -> bytes:
    """The calendar of `user`: four weeks back, twelve weeks ahead."""
    now = now or utcnow()
    today = local_today(now)
    shifts = services.shifts_between(
        today - timedelta(days=PAST_DAYS),
        today + timedelta(days=FUTURE_DAYS),
        user_ids=[user.id],
        include_cancelled=True,
    )
    store = current_app.config["STORE_NAME"]
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    calendar = Calendar()
    calendar.add("prodid", "-//Kaufhaus//Schichten//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    with force_locale(locale):
        calendar.add("x-wr-calname", _("My shifts · %(store)s", store=store))
        for shift in shifts:
            event = Event()
            event.add("uid", f"shift-{shift.id}@{host}")
            event.add("dtstamp", now)
            event.add("dtstart", shift.starts_at)
            event.add("dtend", shift.ends_at)
            event.add("summary", _("Shift: %(station)s", station=shift.station.name))
            event.add(
                "location", " ".join(filter(None, [store, current_app.config.get("STORE_ADDRESS", "")]))
            )
            event.add("sequence", shift.sequence)
            event.add("created", shift.created_at)
            event.add("last-modified", shift.updated_at)
            event.add("status", "CONFIRMED" if shift.status == ShiftStatus.PLANNED else "CANCELLED")
            calendar.add_component(event)
    return calendar.to_ical()
