# certbot with the acmedns hooks: copy acme-dns-auth.py and acme-dns-cleanup.py to /etc/letsencrypt/
# and save acmedns.json as /etc/letsencrypt/acmedns.json (mode 0600). The CNAME record(s) to create first:
#   _acme-challenge.example.org. CNAME 7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org.
#   _acme-challenge.www.example.org. CNAME 7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org.
certbot certonly --manual --preferred-challenges dns \
  --manual-auth-hook 'ACMEDNS_URL=https://auth.example.org python3 /etc/letsencrypt/acme-dns-auth.py' \
  --manual-cleanup-hook 'ACMEDNS_URL=https://auth.example.org python3 /etc/letsencrypt/acme-dns-cleanup.py' \
  -d example.org -d '*.example.org' -d www.example.org
