# Posh-ACME with acmedns: the registration is given, so the plugin registers nothing and does
# not prompt. The CNAME record(s) to create first:
#   _acme-challenge.example.org. CNAME 7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org.
#   _acme-challenge.www.example.org. CNAME 7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org.
$pArgs = @{
    ACMEServer = 'auth.example.org'
    ACMERegistration = @{
        '_acme-challenge.example.org' = @('7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3', '0d3c5f1a-6b2e-4c8d-9e7f-1a2b3c4d5e6f', 'REPLACE-with-the-key-from-register-00000', '7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org')
        '_acme-challenge.www.example.org' = @('7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3', '0d3c5f1a-6b2e-4c8d-9e7f-1a2b3c4d5e6f', 'REPLACE-with-the-key-from-register-00000', '7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org')
    }
}
New-PACertificate 'example.org','*.example.org','www.example.org' -Plugin AcmeDns -PluginArgs $pArgs -AcceptTOS -Contact 'admin@example.org'
