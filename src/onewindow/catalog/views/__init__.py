"""The catalog's staff pages: ``staff`` (home, matters, process-change reviews, change
requests), ``listings`` (a center's listings and their requests), ``editor`` (the guide
draft editor) and ``excel`` (import and export). The public guide, bundle and search
pages are in ``portal/views/catalog.py``; the catalog reports are oversight pages."""
