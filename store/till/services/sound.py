"""The till's tones: on or off, per till."""

from store.core.audit import Actor, audit
from store.till.models import Till


def set_sound(actor: Actor, till: Till, on: bool) -> None:
    """Switch the till's scan tones on or off."""
    if till.sound != on:
        till.sound = on
        audit(actor, "till.sound", till, {"on": on})
