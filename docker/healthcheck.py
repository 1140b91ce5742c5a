"""Container health check: exit 0 only if GET /healthz on the local gunicorn answers 200.

The standard library does the request because python:3.11-slim has no curl. The Host header is the first
entry of ALLOWED_HOSTS, so the check also passes Django's host validation in a real deployment, where
127.0.0.1 is usually not an allowed host.
"""

import os
import sys
import urllib.request

hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip() and h.strip() != "*"]
host = hosts[0].lstrip(".") if hosts else "localhost"  # ".example.com" allows example.com itself
request = urllib.request.Request("http://127.0.0.1:8000/healthz", headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 - fixed local http URL
        sys.exit(0 if response.status == 200 else 1)
except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
    print(f"healthcheck failed: {exc}", file=sys.stderr)
    sys.exit(1)
