"""API: participants, clocking by badge, hours sheets, attendance, shifts and clock entries.

A trainee's token sees only its own person; supervisors, coordinators and admins see every trainee.

- common: the blueprint, the roles, a participant as the answers show them
- people: the participants the caller may see; clocking in or out by badge
- hours: the monthly hours sheet; confirming a day or recording an absence
- plans: planned shifts (list, plan one); clock entries with their corrections
"""

from store.shifts.api import hours, people, plans
from store.shifts.api.common import bp

# The modules above register their endpoints on the blueprint when imported.
ENDPOINTS = (hours, people, plans)

__all__ = ["bp"]
