# lego with acmedns: the account is in the storage file, so lego registers nothing.
# Save acme-dns.json as /var/lib/lego/acme-dns.json (mode 0600) and create the CNAME record(s):
#   _acme-challenge.example.org. CNAME 7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org.
#   _acme-challenge.www.example.org. CNAME 7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org.
export ACME_DNS_API_BASE=https://auth.example.org
export ACME_DNS_STORAGE_PATH=/var/lib/lego/acme-dns.json
lego --email admin@example.org --dns acme-dns -d example.org -d '*.example.org' -d www.example.org run
