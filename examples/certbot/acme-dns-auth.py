#!/usr/bin/env python3
"""certbot --manual-auth-hook for acmedns (and any acme-dns server).

The CNAME step, once per name, before the first certbot run:

    ACMEDNS_URL=https://auth.example.org ./acme-dns-auth.py register example.org

registers an account for example.org (also used for *.example.org), stores it 0600 in
ACMEDNS_STORAGE and prints the record to create in the zone of example.org:

    _acme-challenge.example.org. CNAME <uuid>.auth.example.org.

Then certbot runs unattended:

    certbot certonly --manual --preferred-challenges dns \
      --manual-auth-hook /path/acme-dns-auth.py \
      --manual-cleanup-hook /path/acme-dns-cleanup.py \
      -d example.org -d '*.example.org'

Environment: ACMEDNS_URL (the API base URL), ACMEDNS_STORAGE (account file, default
/etc/letsencrypt/acmedns.json), ACMEDNS_ALLOW_FROM (optional CIDRs, comma separated, sent at
registration), REQUESTS_CA_BUNDLE (a private CA for the API). certbot sets CERTBOT_DOMAIN and
CERTBOT_VALIDATION. The account file has the layout of goacmedns / acme-dns-client storage:
{"example.org": {"username", "password", "fulldomain", "subdomain", "allowfrom", "server_url"}}.
"""
import json
import os
import sys
import tempfile

import requests

URL = os.environ.get("ACMEDNS_URL", "").rstrip("/")
STORAGE = os.environ.get("ACMEDNS_STORAGE", "/etc/letsencrypt/acmedns.json")
ALLOW_FROM = [c.strip() for c in os.environ.get("ACMEDNS_ALLOW_FROM", "").split(",") if c.strip()]
TIMEOUT = 30


def fail(message):
    print(f"acme-dns-auth: {message}", file=sys.stderr)
    sys.exit(1)


def account_key(domain):
    """The apex and its wildcard share one account (as lego and cert-manager key them)."""
    domain = domain.strip().lower().rstrip(".")
    return domain[2:] if domain.startswith("*.") else domain


def load():
    try:
        with open(STORAGE, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def save(accounts):
    """Atomically, and never readable by others: the file holds API keys."""
    directory = os.path.dirname(os.path.abspath(STORAGE))
    os.makedirs(directory, mode=0o700, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=directory, prefix=".acmedns-", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(accounts, f, indent=2)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, STORAGE)
    except BaseException:
        os.unlink(temp)
        raise


def register(domain, accounts):
    if not URL:
        fail("set ACMEDNS_URL to the API base URL, e.g. https://auth.example.org")
    body = json.dumps({"allowfrom": ALLOW_FROM}) if ALLOW_FROM else None
    headers = {"Content-Type": "application/json"} if body else {}
    res = requests.post(f"{URL}/register", data=body, headers=headers, timeout=TIMEOUT)
    if res.status_code != 201:
        fail(f"registration failed: HTTP {res.status_code} {res.text}")
    account = res.json()
    account["server_url"] = URL
    accounts[domain] = account
    save(accounts)
    print(f"_acme-challenge.{domain}. CNAME {account['fulldomain']}.")
    return account


def update(account, value):
    base = account.get("server_url") or URL
    res = requests.post(
        f"{base}/update",
        headers={
            "X-Api-User": account["username"],
            "X-Api-Key": account["password"],
            "Content-Type": "application/json",
        },
        data=json.dumps({"subdomain": account["subdomain"], "txt": value}),
        timeout=TIMEOUT,
    )
    if res.status_code != 200:
        fail(f"update failed: HTTP {res.status_code} {res.text}")


def main(argv):
    accounts = load()
    if len(argv) >= 2 and argv[1] == "register":
        if len(argv) < 3:
            fail("usage: acme-dns-auth.py register <domain>...")
        for domain in map(account_key, argv[2:]):
            account = accounts.get(domain)
            if account is None:
                register(domain, accounts)  # prints the CNAME
            else:
                print(f"_acme-challenge.{domain}. CNAME {account['fulldomain']}.")
        print("Create the CNAME record(s) above in the zone(s) of the name(s), then run certbot.", file=sys.stderr)
        return
    domain = account_key(os.environ.get("CERTBOT_DOMAIN", ""))
    value = os.environ.get("CERTBOT_VALIDATION", "")
    if not domain or not value:
        fail("run by certbot (CERTBOT_DOMAIN, CERTBOT_VALIDATION), or as: acme-dns-auth.py register <domain>")
    account = accounts.get(domain)
    if account is None:
        register(domain, accounts)
        fail(f"new account for {domain}: create the CNAME above, then run certbot again")
    update(account, value)


if __name__ == "__main__":
    main(sys.argv)
