# win-acme with acmedns: writes the registration win-acme looks for, one file per name, then asks for
# the certificate. The CNAME record(s) to create first:
#   _acme-challenge.example.org. CNAME 7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org.
#   _acme-challenge.www.example.org. CNAME 7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org.
$dir = Join-Path $env:ProgramData 'win-acme\acme-dns\auth.example.org'
New-Item -ItemType Directory -Force -Path $dir | Out-Null
$registration = '{"username":"0d3c5f1a-6b2e-4c8d-9e7f-1a2b3c4d5e6f","password":"REPLACE-with-the-key-from-register-00000","fulldomain":"7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org","subdomain":"7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3"}'
foreach ($name in 'example.org', 'www.example.org') {
    Set-Content -Path (Join-Path $dir "$name.json") -Value $registration -Encoding ASCII
}
wacs.exe --source manual --host 'example.org,*.example.org,www.example.org' --validation acme-dns --acmednsserver 'https://auth.example.org/' --accepttos --emailaddress 'admin@example.org'
