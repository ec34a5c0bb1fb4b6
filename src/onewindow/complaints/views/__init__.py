"""Staff pages for complaints and consultations, by topic: ``staff`` (the desk entry,
the dispatcher's and the department's queues, a complaint's page with the steps its
state allows), ``hotline`` (the 12345 order import and answer export), ``inquiries``
(the consultation log with its first owner). The public pages live in
``portal/views/complaints.py``, the hot topics in ``oversight/views/complaints.py``."""
