"""Things that happened, for other areas to react to in the same transaction.

An area that books something sends a signal; an area that builds on it (the network's outbox)
subscribes. The sender does not know who listens, so the dependency points one way only.
Receivers run inside the booking's transaction: what they add is committed with it or not at all.
"""

from blinker import Namespace

signals = Namespace()

# sender: the AttendanceEntry just added; keyword `actor`.
attendance_confirmed = signals.signal("attendance-confirmed")
# sender: the MonthClosing just added (user_id None: the month of everybody); keyword `actor`.
month_closed = signals.signal("month-closed")
# sender: the Assessment just added (self-assessments too); keyword `actor`.
assessment_recorded = signals.signal("assessment-recorded")
