"""The public form's protection without outside services: a hidden field people leave empty (bots
fill it), a minimum time between showing the form and sending it (a signed timestamp), and a limit of
offers per sender address per hour, counted in the database (so it holds across worker processes)."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from store.core.errors import ServiceError
from store.core.timeutil import as_utc
from store.extensions import db
from store.logistics.models import DonationOffer


class TooManyOffersError(ServiceError):
    status = 429
    title = "Too Many Requests"


class SpamError(ServiceError):
    """A submission that looks automated; the view answers as if it had worked."""

    status = 400


class HoneypotError(SpamError):
    """The hidden field was filled: certainly a bot."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="donation-form")


def form_token(now: datetime | None = None) -> str:
    """The signed moment the form was shown."""
    return _serializer().dumps(as_utc(now).timestamp())


def check_submission(token: str | None, honeypot: str | None, *, now: datetime | None = None) -> None:
    """Refuse a filled honeypot, a missing or forged timestamp, or a form sent too fast."""
    now = as_utc(now)
    if (honeypot or "").strip():
        raise HoneypotError(_("Your offer could not be sent."))
    try:
        shown = float(_serializer().loads(token or ""))
    except (BadSignature, TypeError, ValueError):
        raise SpamError(_("Your offer could not be sent. Please load the page again.")) from None
    seconds = now.timestamp() - shown
    if seconds < current_app.config["OFFER_MIN_SECONDS"]:
        raise SpamError(_("That was very fast. Please check your details and send the form again."))
    if seconds > 24 * 3600:
        raise SpamError(_("The form was open too long. Please load the page again."))


def check_rate(ip_hash: str | None, *, now: datetime | None = None) -> None:
    """At most OFFERS_PER_HOUR offers per sender address and hour."""
    if ip_hash is None:
        return
    now = as_utc(now)
    recent = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(DonationOffer)
        .where(DonationOffer.ip_hash == ip_hash, DonationOffer.created_at > now - timedelta(hours=1))
    )
    if recent >= current_app.config["OFFERS_PER_HOUR"]:
        raise TooManyOffersError(
            _("You have sent several offers in the last hour. Please try again later or call us.")
        )
