"""What a case tells the apps above it, inside the transaction of the step (they write in
the same transaction: the messages' outbox never holds a message for a step rolled back,
nor misses one for a step committed).

- ``case_stepped``: every step (``case``, ``action``, ``before``, ``note``, ``data``, ``at``: the step's time or None,
  ``event``: the step's ``CaseEvent``),
  sent by ``services.steps.event`` and by the sweep's lapsed corrections.
- ``case_alerted``: deadline warnings and alarms the sweep recorded (``recorded``: a
  (case id, level) pair for each new ``CaseAlert``, however the sweep recorded it, one
  case at a time or a range in a few statements; ``at``). A receiver reads what it needs
  of the cases in one go: a range may hold thousands.
"""

from __future__ import annotations

from django.dispatch import Signal

case_stepped = Signal()
case_alerted = Signal()
