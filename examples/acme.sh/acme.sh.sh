# acme.sh with acmedns: the account is given, so acme.sh registers nothing and does not prompt.
# The CNAME record(s) to create first:
#   _acme-challenge.example.org. CNAME 7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org.
#   _acme-challenge.www.example.org. CNAME 7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org.
export ACMEDNS_BASE_URL=https://auth.example.org
export ACMEDNS_USERNAME=0d3c5f1a-6b2e-4c8d-9e7f-1a2b3c4d5e6f
export ACMEDNS_PASSWORD=REPLACE-with-the-key-from-register-00000
export ACMEDNS_SUBDOMAIN=7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3
acme.sh --issue --dns dns_acmedns -d example.org -d '*.example.org' -d www.example.org
