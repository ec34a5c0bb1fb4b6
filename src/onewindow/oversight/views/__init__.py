"""The oversight pages, one module per topic."""
