"""What each area holds about a person: the sections of the Art. 15 access export and what the
retention run does to them (GDPR Art. 15, Art. 5(1)(e), Art. 17).

Each area declares its own personal data in `store/<area>/personal_data.py`, imported from the
area's `init_app`, by registering named sections:

- `export(user, now)`: the section's part of the Art. 15 document, JSON-ready (a dict, a list of
  dicts, a date, or None); `now` is an aware UTC datetime.
- `anonymise(user, actor, now)`: what the retention run does to the area's rows about the person.
- `audit_type`: the object type under which the audit log records the rows the section exports
  (each with an "id"); the collector adds the log entries about them.

Any of them may be absent. The network only collects: `store.network.exports.person` builds the
Art. 15 document from the sections in the order `store.network.personal_data.SECTION_ORDER`
documents, and `store.network.retention` calls every anonymiser in that order. This module
imports no area, so every area may register here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from store.core.access import Role

Export = Callable[[Any, datetime], Any]
Anonymise = Callable[[Any, Any, datetime], None]


@dataclass(frozen=True)
class Section:
    """One named part of what an area holds about a person."""

    name: str
    export: Export | None = None
    anonymise: Anonymise | None = None
    audit_type: str | None = None


_SECTIONS: dict[str, Section] = {}


def register(*sections: Section) -> None:
    """Declare sections (registering a name again replaces it, so an app can be made twice)."""
    for section in sections:
        _SECTIONS[section.name] = section


def sections(order: Iterable[str] = ()) -> list[Section]:
    """The registered sections: those named in `order` first, in that order, then any other by
    name (a section nobody placed yet is never left out)."""
    order = list(order)
    placed = [_SECTIONS[name] for name in order if name in _SECTIONS]
    rest = sorted((s for s in _SECTIONS.values() if s.name not in order), key=lambda s: s.name)
    return placed + rest


def exported_ids(value) -> list:
    """The ids of the rows a section exported: of a dict, or of each dict in a list."""
    if isinstance(value, dict):
        return [value["id"]] if "id" in value else []
    if isinstance(value, list):
        return [item["id"] for item in value if isinstance(item, dict) and "id" in item]
    return []


def who(user, person_id: int) -> str | None:
    """Who did something, as the person's own export says it: "self", or a staff member's short
    name; never another participant."""
    if user is None:
        return None
    if user.id == person_id:
        return "self"
    return user.short_name if user.role != Role.TRAINEE else None


# Retention sweeps for people who are not users (donors' contact data, ...): each removes what is due
# and returns how many records it cleared. The `retention` command runs them all after the sections.
Sweep = Callable[[Any], int]
_SWEEPS: dict[str, tuple[str, Sweep]] = {}


def register_sweep(name: str, label: str, sweep: Sweep) -> None:
    """Declare a sweep(actor) → count; `label` is the command's line ("Donor contacts erased")."""
    _SWEEPS[name] = (label, sweep)


def sweeps() -> list[tuple[str, Sweep]]:
    """(label, sweep) of every registered sweep, by name."""
    return [_SWEEPS[name] for name in sorted(_SWEEPS)]
