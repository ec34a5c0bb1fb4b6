"""What a review tells the apps above it, inside the transaction of the review (they
write in the same transaction: the provincial push of a review exists if and only if
the review does).

- ``review_given``: a review filed by a person (``review``: the saved ``Review``). The
  sweep's default reviews (默认好评, inserted in bulk) send nothing; the exchange's
  reconciliation finds them and pushes them (``onewindow exchange-report --push-missing``).
"""

from __future__ import annotations

from django.dispatch import Signal

review_given = Signal()
