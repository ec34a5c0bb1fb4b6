"""The staff's case pages, one module per topic: ``staff`` (list, intake, a case's page),
``notices``, ``online`` (pre-review), ``files``, ``supervision``, ``pledges``,
``bundles``, ``assisted``; ``intake`` and ``panels`` build parts of those pages. The
citizen's case pages are the portal's (``portal/views/cases/``)."""
