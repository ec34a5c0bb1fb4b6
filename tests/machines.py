"""What the life-cycle state machines share: each run inside a savepoint rolled back at
its end, and a step the life refuses checked to have changed nothing."""

from __future__ import annotations

import os

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine

from onewindow.core.errors import DomainError

# The suite's size; `make fuzz` sets MACHINE_EXAMPLES higher.
MACHINE_SETTINGS = settings(
    max_examples=int(os.environ.get("MACHINE_EXAMPLES", "8")),
    stateful_step_count=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


class SavepointMachine(RuleBasedStateMachine):
    """``snapshot()`` reads the rows a refused step must leave as they were."""

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def snapshot(self):
        raise NotImplementedError

    def attempt(self, step, **kwargs):
        """Run a service step: its result, or None when refused (having changed nothing)."""
        before = self.snapshot()
        try:
            with transaction.atomic():
                return step(**kwargs)
        except DomainError:
            assert self.snapshot() == before
            return None
