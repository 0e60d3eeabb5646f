"""Commands of the pick-ups: flask --app store pickups send-mail."""

import click
from flask import Flask

from store.core.transaction import add_commands


@click.group("pickups")
def pickups_group():
    """Donation pick-ups."""


@pickups_group.command("send-mail")
def send_mail():
    """Send messages to donors that are still queued (e.g. after the SMTP server was down)."""
    from store.core import queue
    from store.logistics.services import send_queued

    if not queue.exclusive("pickups send-mail"):  # two runs at once would send a message twice
        click.echo("Another run sends the messages right now; nothing done.")
        return
    click.echo(f"Sent: {send_queued()}.")


def init_app(app: Flask) -> None:
    add_commands(app, pickups_group)
