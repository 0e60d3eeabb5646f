"""flask --app store shifts …: plan a week from the templates; write a month's hours sheets."""

from datetime import date
from pathlib import Path

import click
from flask import Flask

from store.core.audit import Actor
from store.core.timeutil import local_today
from store.core.transaction import add_commands


@click.group("shifts")
def shifts_group():
    """Shift plan and hours sheets."""


@shifts_group.command("plan-week")
@click.option("--week", default=None, help="Any day of the week (YYYY-MM-DD); default: next week.")
def plan_week(week):
    """Plan the week from the templates (safe to run twice; e.g. from cron on Fridays)."""
    from datetime import timedelta

    from store.shifts import services

    try:
        day = date.fromisoformat(week) if week else local_today() + timedelta(days=7)
    except ValueError:
        raise click.ClickException("--week must be a date like 2026-03-02") from None
    result = services.plan_week(Actor.system(), day)
    click.echo(
        f"{len(result.created)} shifts planned for the week of "
        f"{services.week_start(day).isoformat()} ({result.existing} were planned already)."
    )
    for holiday, name in result.holidays:
        click.echo(f"  {holiday.isoformat()} {name}: public holiday, nobody planned")


@shifts_group.command("export-month")
@click.argument("month")
@click.argument("path")
@click.option("--format", "kind", type=click.Choice(["pdf", "xlsx", "csv"]), default="xlsx")
def export_month(month, path, kind):
    """Write MONTH's (YYYY-MM) hours sheets of every trainee to PATH."""
    from store.shifts import exports, services, sheets

    year, number = services.parse_month(month)
    found = sheets.sheets_for_files(year, number)
    render = {"pdf": exports.sheet_pdf, "xlsx": exports.month_xlsx, "csv": exports.month_csv}
    Path(path).write_bytes(render[kind](found))
    click.echo(f"{len(found)} sheets written to {path}.")


def init_app(app: Flask) -> None:
    add_commands(app, shifts_group)
