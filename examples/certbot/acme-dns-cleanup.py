#!/usr/bin/env python3
"""certbot --manual-cleanup-hook for acmedns: withdraws the value the auth hook published.

acmedns speaks lego's httpreq protocol on the same accounts, so the value is removed with
POST /cleanup {"fqdn", "value"} and Basic auth username:password. A plain acme-dns server has no
/cleanup (404): then there is nothing to do, its values are simply overwritten next time.
A failed cleanup never fails the certificate. Same environment as acme-dns-auth.py.
"""
import json
import os
import sys

import requests

URL = os.environ.get("ACMEDNS_URL", "").rstrip("/")
STORAGE = os.environ.get("ACMEDNS_STORAGE", "/etc/letsencrypt/acmedns.json")
TIMEOUT = 30


def main():
    domain = os.environ.get("CERTBOT_DOMAIN", "").strip().lower().rstrip(".")
    domain = domain[2:] if domain.startswith("*.") else domain
    value = os.environ.get("CERTBOT_VALIDATION", "")
    try:
        with open(STORAGE, encoding="utf-8") as f:
            account = json.load(f).get(domain)
    except FileNotFoundError:
        account = None
    if not account or not value:
        return
    base = account.get("server_url") or URL
    try:
        res = requests.post(
            f"{base}/cleanup",
            auth=(account["username"], account["password"]),
            json={"fqdn": f"_acme-challenge.{domain}.", "value": value},
            timeout=TIMEOUT,
        )
    except requests.RequestException as err:
        print(f"acme-dns-cleanup: {err}", file=sys.stderr)
        return
    if res.status_code == 404:
        return
    if res.status_code // 100 != 2:
        print(f"acme-dns-cleanup: HTTP {res.status_code} {res.text}", file=sys.stderr)


if __name__ == "__main__":
    main()
