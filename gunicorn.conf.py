"""
gunicorn settings for production and for the bench (`gunicorn -c gunicorn.conf.py campaign.wsgi`).

gthread: each worker process runs several threads, so a request waiting on PostgreSQL or on the
network does not hold a whole process. One process per core keeps the cores busy despite the
GIL; eight threads each cover the waits. Measured with bench/run.py on 2 cores, sign surge at 64
clients: 2 x 8 and 3 x 6 did 380-400/s, 4 x 4 did 275-350/s (bench/README.md). Set
DATABASE_POOL_MAX_SIZE to the threads. Override with GUNICORN_WORKERS / GUNICORN_THREADS or
gunicorn's own GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 8))
# Browsers and load balancers reuse connections; a few seconds is enough between requests.
keepalive = 5
# Each worker listens on its own socket (SO_REUSEPORT) and the kernel spreads new connections
# over them. With one shared socket, whichever worker woke first took a burst of kept-alive
# connections: the bench found one worker serving all 64 clients while the other idled, half
# the machine unused. The price: connections still queued at a worker when it exits are reset
# (Linux 5.14+ hands them to a sibling with `sysctl net.ipv4.tcp_migrate_req=1`).
reuse_port = True
# Hold a connection-burst in the kernel's queue rather than refusing it.
backlog = 2048
# No access log: it costs time on every request and would record client addresses.
accesslog = None
# A worker stuck longer than this is killed and replaced.
timeout = 30
graceful_timeout = 10
