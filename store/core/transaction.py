"""One transaction per request and per command, and what happens after it commits.

A request's handler does its work and returns; the request then commits once. Any exception rolls the
whole request back and the error handlers answer (store/core/errors.py). A CLI command works the same
way. Views, API endpoints and commands therefore never call commit() or rollback() themselves; the few
places that commit twice on purpose say why.

Side effects that must wait until the work is stored (waking the print queue, sending partner events)
are registered with after_commit() while the work is done. When the request's (or command's)
transaction has committed, they run, once each; a rollback forgets them. A commit outside a request or
command (a worker's loop, a test) does not run them: workers pick the work up by themselves.
"""

import functools
import logging
from collections.abc import Callable

import click
import sqlalchemy.orm as so
from flask import Flask
from sqlalchemy import event

from store.core.errors import ServiceError
from store.extensions import db

log = logging.getLogger(__name__)

_PENDING = "kaufhaus.after_commit.pending"
_COMMITTED = "kaufhaus.after_commit.committed"


class StoreFlask(Flask):
    """Flask, with the commit after the handler (Indico's RH.process)."""

    def dispatch_request(self):
        result = super().dispatch_request()
        commit(keep=True)  # the answer is made: reading its objects back would be wasted
        return result


def commit(*, keep: bool = False) -> None:
    """Commit the request's or command's transaction, then run its after-commit hooks. `keep`: the
    objects in memory are what was committed; they are not read back when next used."""
    session = db.session()
    session.expire_on_commit = not keep
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    for fn, items in db.session.info.pop(_COMMITTED, {}).items():
        try:
            fn(items)
        except Exception:  # noqa: BLE001 - the work is stored; the worker does what a hook could not
            log.exception("after-commit hook %s failed", getattr(fn, "__qualname__", fn))


# ---------------------------------------------------------------- after commit


def after_commit(fn: Callable[[list], None], *items) -> None:
    """Call fn(items) once this transaction has committed, with every item registered for fn in it
    (fn is called once per transaction)."""
    pending = db.session.info.setdefault(_PENDING, {})
    pending.setdefault(fn, []).extend(items)


@event.listens_for(so.Session, "after_commit")
def _committed(session: so.Session) -> None:
    session.info[_COMMITTED] = session.info.pop(_PENDING, {})


@event.listens_for(so.Session, "after_rollback")
def _forget(session: so.Session) -> None:
    session.info.pop(_PENDING, None)


# ---------------------------------------------------------------- commands


def own_transactions(fn: Callable) -> Callable:
    """Mark a command that commits by itself (a worker loop, a restore): no commit around it."""
    fn._own_transactions = True
    return fn


def _transactional(fn: Callable) -> Callable:
    own = getattr(fn, "_own_transactions", False)

    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            result = fn(*args, **kwargs)
            if not own:
                commit()
        except ServiceError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from None
        except BaseException:
            db.session.rollback()
            raise
        return result

    run._wrapped = True
    return run


def add_commands(app: Flask, *commands: click.Command) -> None:
    """Register CLI commands, each (and each of a group's) in one transaction."""
    for command in commands:
        _wrap(command)
        app.cli.add_command(command)


def _wrap(command: click.Command) -> None:
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _wrap(sub)
        return
    if command.callback is not None and not getattr(command.callback, "_wrapped", False):
        command.callback = _transactional(command.callback)
