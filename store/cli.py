"""Commands: flask --app store <command>. Each parses and calls a service; add_commands runs it in
one transaction (commit when it returns, roll back on error, a ServiceError as a clean message)."""

import click
from flask import Flask, current_app

from store.core.audit import Actor
from store.core.transaction import add_commands, own_transactions
from store.extensions import db


@click.command("demo-data")
def demo_data():
    """Load the demo shop (safe to run twice: a second run changes nothing)."""
    from store import demo

    # The demo's receipts print in this thread, after each commit: a wake-up thread would wait for
    # SQLite's write lock, which the load holds, and the command would end before it printed.
    current_app.config["PRINT_IN_REQUEST"] = True
    created = demo.load()
    click.echo("Demo data loaded." if created else "Demo data is already there; nothing changed.")
    demo.print_logins(click.echo)


@click.group("user")
def user_group():
    """Manage users."""


@user_group.command("create")
@click.argument("username")
@click.option(
    "--role", required=True, type=click.Choice(["trainee", "supervisor", "coordinator", "admin"])
)
@click.option("--password", required=True)
@click.option("--badge", default=None, help="Barcode on the staff card.")
@click.option("--pin", default=None, help="4 to 8 digits for the till.")
@click.option("--first-name", default="")
@click.option("--last-name", default="")
def user_create(username, role, password, badge, pin, first_name, last_name):
    """Create a user."""
    from store.auth import services

    user = services.create_user(
        Actor.system(),
        username=username,
        role=role,
        password=password,
        badge=badge,
        pin=pin,
        first_name=first_name or username,
        last_name=last_name,
    )
    click.echo(f"Created {user.username} ({user.role.value}).")


@user_group.command("list")
def user_list():
    """List users."""
    from store.auth import services

    for user in services.list_users():
        state = "" if user.is_active_account else " (inactive)"
        click.echo(f"{user.username:20} {user.role.value:12} {user.display_name}{state}")


@click.group("api-token")
def token_group():
    """Manage API tokens."""


@token_group.command("create")
@click.argument("username")
@click.option("--name", default="", help="What the token is for.")
@click.option(
    "--scope", type=click.Choice(["write", "read", "print"]), default="write", show_default=True
)
@click.option("--days", type=int, default=None, help="Valid for so many days (API_TOKEN_DAYS).")
def token_create(username, name, scope, days):
    """Create a token for USERNAME and print it (only this once)."""
    import sqlalchemy as sa

    from store.auth import services
    from store.auth.models import User

    user = db.session.scalar(sa.select(User).where(User.username == username.lower()))
    if user is None:
        raise click.ClickException(f"no user {username}")
    _token, plain = services.create_api_token(
        Actor.system(), user, name or "cli", scope=scope, days=days
    )
    click.echo(plain)


@token_group.command("revoke")
@click.argument("prefix")
def token_revoke(prefix):
    """Revoke the token that starts with PREFIX (as shown in the admin pages)."""
    import sqlalchemy as sa

    from store.auth import services
    from store.auth.models import ApiToken

    tokens = db.session.scalars(sa.select(ApiToken).where(ApiToken.prefix == prefix)).all()
    if len(tokens) != 1:
        raise click.ClickException(f"{len(tokens)} tokens start with {prefix}")
    services.revoke_api_token(Actor.system(), tokens[0])
    click.echo("Revoked.")


@click.command("backup")
@click.argument("path")
def backup_cmd(path):
    """Write a consistent backup of the database to PATH (safe while the store runs)."""
    from store.core import backup

    done = backup.backup(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    click.echo(f"Backup written to {done}.")


@click.command("restore")
@click.argument("path")
@click.confirmation_option(prompt="This replaces all data in the database. Go on?")
@own_transactions
def restore_cmd(path):
    """Replace the database with the backup at PATH. Stop the store first."""
    from store.core import backup

    db.engine.dispose()
    backup.restore(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    click.echo("Restored. Run 'flask --app store db upgrade' if the backup is older.")


@click.command("print-worker")
@click.option("--once", is_flag=True, help="Send what is due, then stop.")
@click.option("--poll", default=1.0, show_default=True, help="Seconds between rounds.")
@own_transactions
def print_worker(once, poll):
    """Send queued print jobs to the printers, retrying failed ones; sign the sales whose signing
    was cut off (a crash between a sale's commit and its signature) and queue their receipts; once
    a day, store the closed days' report figures so the dashboard never computes them for a user."""
    from store.core import queue
    from store.printing.services import process_due_jobs
    from store.reports.services.days import fill_once_a_day
    from store.till.services import sign_unsigned

    def work_round(limit: int) -> int:
        fill_once_a_day()  # a no-op but once a day
        return sign_unsigned(limit=limit) + process_due_jobs(limit=limit)

    click.echo("Print worker running. Ctrl-C stops it.")
    queue.run_worker(
        work_round,
        name="print",
        poll_seconds=poll,
        once=once,
        limit=20,
    )


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="Only list who would be anonymised.")
def retention(dry_run):
    """Remove personal data that is no longer needed (run daily, e.g. from cron): donor names
    after 90 days; participants PARTICIPANT_RETENTION_YEARS after the end of the year their
    measure ended (see docs/data-protection.md)."""
    from store.core import queue
    from store.goods.services import erase_donor_names
    from store.network import retention as participants

    if not queue.exclusive("retention"):  # workers on several machines: one sweep at a time
        click.echo("Another retention run is under way; nothing done.")
        return
    if dry_run:
        for item in participants.due():
            click.echo(
                f"would anonymise {item.user.username} (ended {item.ended}, "
                f"kept until {item.keep_until})"
            )
        return
    actor = Actor.system()
    erased = erase_donor_names(actor)
    anonymised = participants.run(actor)
    click.echo(f"Donor names erased: {erased}. Participants anonymised: {anonymised}.")
    from store.core import personal_data

    for label, sweep in personal_data.sweeps():  # e.g. donors' contact data after a pick-up
        click.echo(f"{label}: {sweep(actor)}.")


def init_app(app: Flask) -> None:
    add_commands(
        app, demo_data, user_group, token_group, backup_cmd, restore_cmd, print_worker, retention
    )
