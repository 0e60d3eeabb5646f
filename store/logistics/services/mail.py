"""Messages to donors: a thank-you after the pick-up, a polite decline, a request for a photo.

Each is a DonorMail row, written in the donor's language inside the request's transaction and sent
after the commit through the SMTP server the environment configures (MAIL_SERVER, MAIL_PORT,
MAIL_USERNAME, MAIL_PASSWORD, MAIL_USE_TLS, MAIL_USE_SSL, MAIL_FROM). Without MAIL_SERVER (the
demo) nothing leaves the machine: the message is kept in the outbox page. A donor who did not agree
to be contacted, or left no e-mail address, gets nothing.
"""

import logging
import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from store.core.timeutil import as_utc, utcnow
from store.core.transaction import after_commit
from store.extensions import db
from store.logistics.models import DonationOffer, DonorMail, MailStatus

log = logging.getLogger(__name__)


def _text(offer: DonationOffer, kind: str) -> tuple[str, str]:
    """Subject and body, in the donor's language."""
    from store.logistics.services.offers import DECLINE_REASONS

    store = current_app.config["STORE_NAME"]
    greeting = _("Hello %(name)s,", name=offer.name) if offer.name else _("Hello,")
    if kind == "thanks":
        subject = _("Thank you for your donation")
        text = _(
            "Thank you very much for your donation (%(what)s). It is now in our shop, where people "
            "with little money find what they need for their home.",
            what=offer.what,
        )
    elif kind == "decline":
        subject = _("Your offer: %(what)s", what=offer.what)
        reason = str(DECLINE_REASONS.get(offer.decline_reason or "", ""))
        text = _(
            "Thank you very much for thinking of us. Unfortunately we cannot collect your offer "
            "(%(what)s). %(reason)s We hope you find another good home for it.",
            what=offer.what,
            reason=reason,
        )
    else:
        subject = _("Your offer: could you send us a photo?")
        text = _(
            "Thank you for your offer (%(what)s). Before we send a van, could you send us a photo of "
            "it? Just reply to this message with the photo attached.",
            what=offer.what,
        )
    regards = _("Kind regards")
    body = f"{greeting}\n\n{text}\n\n{regards}\n{store}\n"
    return subject, body


def queue_mail(offer: DonationOffer, kind: str, *, now: datetime | None = None) -> DonorMail | None:
    """Write the message now; it is sent after the commit. None when the donor may not be mailed."""
    if not (offer.consent and offer.email):
        return None
    with force_locale(offer.language or "de"):
        subject, body = _text(offer, kind)
    mail = DonorMail(
        offer=offer,
        kind=kind,
        to=offer.email,
        subject=subject,
        body=body,
        status=MailStatus.QUEUED,
        created_at=as_utc(now),
    )
    db.session.add(mail)
    db.session.flush()
    after_commit(_send_after_commit, mail.id)
    return mail


def _send_after_commit(mail_ids: list[int]) -> None:
    send_queued(mail_ids)
    db.session.commit()  # the send result is its own small transaction, after the request's


def send_queued(mail_ids: list[int] | None = None) -> int:
    """Send queued messages (these, or all); returns how many left the machine."""
    if mail_ids is not None:
        query = sa.select(DonorMail).where(
            DonorMail.status == MailStatus.QUEUED, DonorMail.id.in_(mail_ids)
        )
    else:  # the command: what is still queued, and what failed before
        query = sa.select(DonorMail).where(
            DonorMail.status.in_([MailStatus.QUEUED, MailStatus.FAILED]), DonorMail.to.is_not(None)
        )
    sent = 0
    for mail in db.session.scalars(query).all():
        sent += _send(mail)
    return sent


def _flag(value) -> bool:
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def _send(mail: DonorMail) -> int:
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        mail.status = MailStatus.KEPT
        return 0
    message = EmailMessage()
    message["From"] = cfg.get("MAIL_FROM") or f"{cfg['STORE_NAME']} <noreply@localhost>"
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid()
    message.set_content(mail.body or "")
    try:
        smtp_class = smtplib.SMTP_SSL if _flag(cfg.get("MAIL_USE_SSL")) else smtplib.SMTP
        with smtp_class(cfg["MAIL_SERVER"], int(cfg.get("MAIL_PORT") or 25), timeout=10) as smtp:
            if _flag(cfg.get("MAIL_USE_TLS")) and not _flag(cfg.get("MAIL_USE_SSL")):
                smtp.starttls(context=ssl.create_default_context())
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail %s to the donor failed: %s", mail.id, error)
        mail.status = MailStatus.FAILED
        mail.error = str(error)[:200]
        return 0
    mail.status = MailStatus.SENT
    mail.sent_at = utcnow()
    return 1


def outbox(limit: int = 100) -> list[DonorMail]:
    return list(db.session.scalars(sa.select(DonorMail).order_by(DonorMail.id.desc()).limit(limit)))
