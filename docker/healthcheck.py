"""Container health check: GET /healthz through gunicorn; healthy only on 200."""

import os
import sys
import urllib.request


def main():
    # Ask with a host the site accepts and as if through the TLS proxy, so neither
    # ALLOWED_HOSTS nor SECURE_SSL_REDIRECT turns the answer into a 400 or a 301.
    hosts = [host.strip().lstrip(".") for host in os.environ.get("ALLOWED_HOSTS", "").split(",")]
    host = next((host for host in hosts if host and host != "*"), "localhost")
    request = urllib.request.Request(
        "http://127.0.0.1:8000/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - fixed local URL
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
