"""gunicorn for OneWindow: ``gunicorn -c deploy/gunicorn.conf.py onewindow.wsgi:application``.

Every value may be changed from the environment (the systemd unit's EnvironmentFile or
the compose file): GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Workers are processes: the pages are mostly database-bound, two per core plus one.
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (a slow leak never grows for long).
max_requests = 2000
max_requests_jitter = 200
# The proxy on this host (or, on a province's app servers, the proxy's address in
# FORWARDED_ALLOW_IPS) may set X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Load the application in the master once, workers fork from it (less memory, faster start).
preload_app = True
