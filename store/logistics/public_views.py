"""/spenden: the public page where a donor offers furniture or appliances (no sign-in).

CSRF is checked as for every form (store.core.access); a hidden honeypot field, a minimum time between
showing and sending the form, and a limit per sender address and hour keep bots out without any
outside service."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from store.core.access import public
from store.core.audit import Actor
from store.core.i18n import locale_name
from store.core.web import attempt
from store.logistics import services
from store.logistics.forms import OfferForm
from store.logistics.models import OfferSource

bp = Blueprint("donate", __name__)


def offer_in(form: OfferForm) -> services.OfferIn:
    """The form's fields as the service takes them (the staff's phone form shares it)."""
    return services.OfferIn(
        what=form.what.data or "",
        quantity=form.quantity.data if form.quantity.data is not None else 1,
        dimensions=form.dimensions.data,
        name=form.name.data,
        address=form.address.data,
        floor=form.floor.data,
        has_lift=form.has_lift.data,
        preferred_days=", ".join(
            str(label)
            for value, label in form.preferred_days.choices
            if value in (form.preferred_days.data or [])
        ),
        phone=form.phone.data,
        email=form.email.data,
        consent=form.consent.data,
        notes=form.notes.data,
        language=locale_name(),
        photos=[f for f in (form.photos.data or []) if getattr(f, "filename", "")],
    )


@bp.route("/spenden", methods=["GET", "POST"])
@public
def offer():
    form = OfferForm()
    status = 200
    if form.validate_on_submit():
        address = services.address_hash(request.remote_addr)
        try:
            services.check_submission(form.shown.data, form.website.data)
            services.check_rate(address)
        except services.HoneypotError:
            return redirect(url_for("donate.thanks"))  # a bot: answer as if it worked, keep nothing
        except (services.SpamError, services.TooManyOffersError) as error:
            flash(error.message, "error")
            status = error.status
        else:
            with attempt(form) as done:
                services.create_offer(
                    Actor(user=None, source="web"),
                    offer_in(form),
                    source=OfferSource.WEB,
                    ip_hash=address,
                )
            if done:
                return redirect(url_for("donate.thanks"))
    elif form.is_submitted():
        flash(_("Please check the marked fields."), "error")
    form.shown.data = services.form_token()
    form.website.data = ""
    return render_template("logistics/donate.html", form=form, max_photos=services.MAX_PHOTOS), status


@bp.get("/spenden/danke")
@public
def thanks():
    return render_template("logistics/donate_thanks.html", title=_("Thank you!"))
