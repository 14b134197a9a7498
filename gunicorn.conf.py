"""Production serving: `gunicorn -c gunicorn.conf.py wsgi:app`, behind nginx (see
docs/deploy/nginx.conf, which buffers request bodies so slow clients never reach us).

Why gthread: a sync worker is held by one connection for as long as that client takes to send
its body, so a handful of slow senders made /healthz unreachable. gthread workers serve many
connections each; idle and kept-alive connections wait in the worker's poller, not in a thread.
Every value can be set from the environment; the defaults suit a small 2-4 core host.
"""

import multiprocessing
import os

# Listen on loopback only: nginx (or another buffering proxy) is the public face.
bind = os.environ.get("QUIZAPP_BIND", "127.0.0.1:8000")

worker_class = "gthread"
workers = int(os.environ.get("QUIZAPP_WORKERS", str(max(2, multiprocessing.cpu_count()))))
threads = int(os.environ.get("QUIZAPP_THREADS", "8"))

# A worker silent for this long (every thread stuck) is killed and replaced.
timeout = int(os.environ.get("QUIZAPP_WORKER_TIMEOUT", "30"))
# On reload or stop, requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("QUIZAPP_GRACEFUL_TIMEOUT", "20"))
# Idle kept-alive connections are closed after this many seconds.
keepalive = int(os.environ.get("QUIZAPP_KEEPALIVE", "5"))

# Request line and header limits (gunicorn's defaults, stated so they are not forgotten).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# Recycle workers now and then, staggered, so none lives forever.
max_requests = int(os.environ.get("QUIZAPP_MAX_REQUESTS", "5000"))
max_requests_jitter = 500

# Trust X-Forwarded-* only from the local proxy.
forwarded_allow_ips = os.environ.get("QUIZAPP_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("QUIZAPP_ACCESS_LOG", "-")
errorlog = "-"
