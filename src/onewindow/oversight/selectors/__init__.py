"""Reads of the management pages, one module per topic, scoped by the user."""
