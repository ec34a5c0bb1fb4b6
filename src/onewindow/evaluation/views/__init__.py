"""Evaluation pages in the workspace, by topic: ``rectifications`` (the queue, a
rectification's page and steps, appeals), ``reviews`` (the review list, spot checks,
pads); ``forms`` holds what every review form shares. The citizen's pages live in
``portal/views/evaluation.py``, the statistics in ``oversight/views/evaluation.py``."""
