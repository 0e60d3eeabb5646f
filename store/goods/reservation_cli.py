"""Command: flask --app store reservations lapse (daily, from cron or the worker)."""

import click
from flask import Flask

from store.core.audit import Actor
from store.core.transaction import add_commands


@click.group("reservations")
def reservations_group():
    """Reservations of unique items."""


@reservations_group.command("lapse")
def lapse():
    """End the reservations whose date has passed: their items are for sale again."""
    from store.goods.services import lapse_due

    click.echo(f"Reservations lapsed: {lapse_due(Actor.system())}.")


def init_app(app: Flask) -> None:
    add_commands(app, reservations_group)
