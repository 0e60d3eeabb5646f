"""Print jobs (see, download the exact bytes, re-send) and printer settings."""

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hardware import escpos_preview
from store.auth.forms import EmptyForm
from store.branches import web as branch_web
from store.branches.forms import branch_choices
from store.core.access import STAFF, Role, roles
from store.core.i18n import local_datetime
from store.core.timeutil import utcnow
from store.core.web import attempt, back, current_actor
from store.extensions import db
from store.printing import render, services
from store.printing.forms import PrinterForm
from store.printing.models import Printer

bp = Blueprint("printing", __name__)
# A print job or printer of a branch the user does not work in does not exist for them.
branch_web.guard(bp, "job_id", services.job_branch_id)
branch_web.guard(bp, "printer_id", services.printer_branch_id)

SEE_JOBS = (Role.TRAINEE, *STAFF)


@bp.get("/print-jobs")
@roles(Role.SUPERVISOR, Role.ADMIN)
def jobs():
    return render_template(
        "printing/jobs.html",
        jobs=services.list_jobs(200, branch_ids=branch_web.scope_ids()),
        form=EmptyForm(),
    )


@bp.get("/print-jobs/<int:job_id>")
@roles(*SEE_JOBS)
def job(job_id: int):
    job = services.readable_job(current_user, job_id)
    preview = escpos_preview.to_html(job.payload, columns=job.printer.columns)
    return render_template("printing/job.html", job=job, preview=preview)


@bp.get("/print-jobs/<int:job_id>.png")
@roles(*SEE_JOBS)
def job_png(job_id: int):
    job = services.readable_job(current_user, job_id)
    return Response(escpos_preview.to_png(job.payload), mimetype="image/png")


@bp.get("/print-jobs/<int:job_id>.bin")
@roles(*SEE_JOBS)
def job_bytes(job_id: int):
    job = services.readable_job(current_user, job_id)
    return Response(
        job.payload,
        mimetype="application/octet-stream",
        headers={"Content-Disposition": f"attachment; filename=print-job-{job.id}.bin"},
    )


@bp.post("/print-jobs/<int:job_id>/resend")
@roles(Role.SUPERVISOR, Role.ADMIN)
def job_resend(job_id: int):
    services.resend(current_actor(), services.get_job(job_id))  # printed after the commit
    flash(_("The job was sent again."), "success")
    return redirect(back(url_for("printing.jobs")))


@bp.get("/admin/printers")
@roles(Role.ADMIN)
def printers():
    return render_template(
        "printing/printers.html",
        printers=services.list_printers(branch_web.scope_ids()),
        form=EmptyForm(),
    )


@bp.route("/admin/printers/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def printer_new():
    return _printer_form(None)


@bp.route("/admin/printers/<int:printer_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def printer_edit(printer_id: int):
    printer = db.get_or_404(Printer, printer_id)
    return _printer_form(printer)


def _printer_form(printer: Printer | None):
    form = PrinterForm(obj=printer)
    branch_choices(form.branch_id, printer, branch_web.current_branch().id)
    if printer is not None and request.method == "GET":
        for key, value in (printer.params or {}).items():
            if hasattr(form, key):
                getattr(form, key).data = value
    if form.validate_on_submit():
        with attempt() as done:
            services.save_printer(
                current_actor(),
                printer,
                name=form.name.data,
                backend=form.backend.data,
                params=form.params(),
                codepage=form.codepage.data.strip(),
                columns=form.columns.data,
                is_active=form.is_active.data,
                branch_id=form.branch_id.data,
            )
        if done:
            flash(_("The printer was saved."), "success")
            return redirect(url_for("printing.printers"))
    return render_template("printing/printer_form.html", form=form, printer=printer)


@bp.post("/admin/printers/<int:printer_id>/test")
@roles(Role.ADMIN)
def printer_test(printer_id: int):
    printer = db.get_or_404(Printer, printer_id)
    payload = render.test_page(printer, current_app.config["STORE_NAME"], local_datetime(utcnow()))
    job = services.enqueue(current_actor(), printer, "test", payload, title=_("Test print"))
    # Two commits on purpose: the test page is stored, then sent here and now (not after the
    # request), so the admin sees at once whether the printer answers.
    db.session.commit()
    if services.send_job(job.id):
        flash(_("The test print was sent."), "success")
    else:
        flash(_("The printer did not answer: %(error)s", error=job.last_error), "error")
    return redirect(url_for("printing.printers"))
