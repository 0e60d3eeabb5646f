"""flask --app store reports …: the day store (the stored figures of closed days)."""

import click
from flask import Flask

from store.core.transaction import add_commands


@click.group("reports")
def reports_group():
    """Reports."""


@reports_group.command("forget-days")
def forget_days():
    """Empty the day store; the next report computes the closed days again from the bookings
    (needed only after bookings were imported with past dates, or the store's zone changed)."""
    from store.reports.services import days

    click.echo(f"{days.forget_days()} stored days forgotten.")


@reports_group.command("fill-days")
def fill_days():
    """Store the figures of every closed day of the last two years not stored yet (the print worker
    does this once a day; run it after an import or `forget-days` to keep the dashboard fast)."""
    from store.reports.services import days

    click.echo(f"{days.fill_closed_days()} days stored.")


def init_app(app: Flask) -> None:
    add_commands(app, reports_group)
