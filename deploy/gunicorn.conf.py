"""Gunicorn settings for the MMD Portal (gunicorn -c deploy/gunicorn.conf.py mmd_portal.wsgi).

Workers follow gunicorn's recommendation of (2 x cores) + 1; each is a separate process with
its own database connection, so the database's max_connections must cover
workers x threads x app servers.

Each worker serves several requests at once in threads (gunicorn's gthread worker), so that a
heavy download holds one thread, not the whole process: core.bulk_downloads lets each process
build at most DJANGO_HEAVY_DOWNLOADS_PER_PROCESS of them at a time and answers the others with a
"busy, try again" 503, while the other threads keep serving pages.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # long spreadsheet previews
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then, against slow leaks
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
