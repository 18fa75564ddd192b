"""Container health check: GET /healthz through gunicorn; healthy only on 200.

Usage: `python docker/healthcheck.py [URL]`, URL defaulting to http://127.0.0.1:8000/healthz.
"""

import os
import sys
import urllib.request


def main(url="http://127.0.0.1:8000/healthz"):
    if not url.startswith("http://"):
        raise SystemExit(f"not an http:// URL: {url}")
    # Ask with a host the site accepts and as if through the TLS proxy, so neither
    # ALLOWED_HOSTS nor SECURE_SSL_REDIRECT turns the answer into a 400 or a 301.
    hosts = [host.strip().lstrip(".") for host in os.environ.get("ALLOWED_HOSTS", "").split(",")]
    host = next((host for host in hosts if host and host != "*"), "localhost")
    request = urllib.request.Request(url, headers={"Host": host, "X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - http only, checked above
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
