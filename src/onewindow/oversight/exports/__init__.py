"""Excel exports of the management pages, one module per topic."""
