"""Commands of the network area: flask --app store outbox-worker."""

import click
from flask import Flask

from store.core.transaction import add_commands, own_transactions


@click.command("outbox-worker")
@click.option("--once", is_flag=True, help="Send what is due, then stop.")
@click.option("--poll", default=1.0, show_default=True, help="Seconds between rounds.")
@own_transactions
def outbox_worker(once, poll):
    """Send the outbox to partners' systems, retrying with back-off when a partner is down."""
    from store.network import outbox

    if once:
        delivered = outbox.deliver_due()
        counts = outbox.totals()
        click.echo(f"{delivered} delivered; pending {counts['pending']}, failed {counts['failed']}.")
        return
    click.echo("Outbox worker running. Ctrl-C stops it.")
    outbox.run_worker(poll_seconds=poll)


@click.command("rotate-secrets")
def rotate_secrets():
    """Encrypt the stored partner secrets again with the first key of SECRETS_KEY (after a new key
    was put in front of the old ones)."""
    from store.network import outbox

    click.echo(f"{outbox.rotate_secrets()} partner secrets encrypted with the newest key.")


def init_app(app: Flask) -> None:
    add_commands(app, outbox_worker, rotate_secrets)
