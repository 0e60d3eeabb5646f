"""Partners: the Jobcenter, youth workshops, schools… that may receive a participant's data, and
the address and secret their events are sent to."""

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core import outbound
from store.core.audit import Actor, audit
from store.core.errors import NotFoundError, ValidationError
from store.core.timeutil import as_utc
from store.extensions import db
from store.network.models import Partner, PartnerKind
from store.network.services.common import EVENT_SCOPES, clean_text


def list_partners(include_inactive: bool = True) -> list[Partner]:
    query = sa.select(Partner).order_by(Partner.name)
    if not include_inactive:
        query = query.where(Partner.is_active.is_(True))
    return list(db.session.scalars(query))


def get_partner(partner_id: int | None) -> Partner:
    partner = db.session.get(Partner, partner_id) if partner_id is not None else None
    if partner is None:
        raise NotFoundError(_("There is no partner with this number."), field="partner")
    return partner


def _check_url(url: str | None) -> str | None:
    url = (url or "").strip() or None
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise ValidationError(
            _(
                "Please give the address without a user name or password; the "
                "secret signs every request."
            ),
            field="url",
        )
    policy = outbound.Policy.current()
    # An address in any spelling is checked now; a name is resolved and checked at every sending
    # (store.core.outbound), since what it points to may change.
    if parts.hostname and policy.check_literal(parts.hostname):
        raise ValidationError(_("This address is not allowed."), field="url")
    local = parts.hostname in ("127.0.0.1", "localhost", "::1") or (
        parts.hostname is not None and parts.hostname in policy.hosts
    )
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ValidationError(
            _("The address must start with https:// (plain http only for this computer)."), field="url"
        )
    if not parts.hostname or len(url) > 300:
        raise ValidationError(_("This is not a web address."), field="url")
    return url


def save_partner(
    actor: Actor,
    partner: Partner | None,
    *,
    name: str,
    kind: PartnerKind | str,
    contact: str | None = None,
    url: str | None = None,
    secret: str | None = None,
    events: Iterable[str] = (),
    is_active: bool = True,
    now: datetime | None = None,
) -> Partner:
    """Create or change a partner. An empty secret keeps the old one; a URL needs a secret."""
    now = as_utc(now)
    name = clean_text(name, 80)
    if not name:
        raise ValidationError(_("Please give the name."), field="name")
    try:
        kind = PartnerKind(kind)
    except ValueError:
        raise ValidationError(_("Please choose the kind of partner."), field="kind") from None
    other = db.session.scalar(sa.select(Partner).where(sa.func.lower(Partner.name) == name.lower()))
    if other is not None and other is not partner:
        raise ValidationError(_("There is a partner with this name already."), field="name")
    url = _check_url(url)
    chosen = list(dict.fromkeys(events or ()))
    unknown = [e for e in chosen if e not in EVENT_SCOPES]
    if unknown:
        raise ValidationError(_("Unknown event: %(e)s.", e=", ".join(unknown)), field="events")
    secret = (secret or "").strip() or None
    if secret is not None and not 16 <= len(secret) <= 200:
        raise ValidationError(_("The secret must have 16 to 200 characters."), field="secret")
    if url and not (secret or (partner is not None and partner.secret)):
        raise ValidationError(
            _("A partner with an address needs a secret to sign with."), field="secret"
        )
    if partner is None:
        partner = Partner(created_at=now)
        db.session.add(partner)
    partner.name, partner.kind, partner.contact = name, kind, clean_text(contact, 200)
    partner.url, partner.events, partner.is_active = url, chosen, bool(is_active)
    if secret is not None:
        partner.secret = secret
    partner.updated_at = now
    audit(
        actor,
        "partner.save",
        partner,
        {
            "name": name,
            "kind": kind.value,
            "url": url,
            "events": chosen,
            "active": partner.is_active,
            "secret_changed": secret is not None,
        },
        now=now,
    )
    return partner
