"""
gunicorn settings for production and for the bench (`gunicorn -c gunicorn.conf.py campaign.wsgi`).

gthread: each worker process runs several threads, so a request waiting on PostgreSQL or on the
network does not hold a whole process. Two processes per core keep both cores busy through the
GIL; the threads cover I/O waits. Measured with bench/run.py (README, Performance). Override
with GUNICORN_WORKERS / GUNICORN_THREADS or gunicorn's own GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Browsers and load balancers reuse connections; a few seconds is enough between requests.
keepalive = 5
# Hold a connection-burst in the kernel's queue rather than refusing it.
backlog = 2048
# No access log: it costs time on every request and would record client addresses.
accesslog = None
# A worker stuck longer than this is killed and replaced.
timeout = 30
graceful_timeout = 10
