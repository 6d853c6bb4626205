import { parseConfig } from './config';
import { ownChallengeNames } from './daemon-certificate';

/** A config with the given `[api]` lines. */
function config(api: string) {
  return parseConfig(`[general]\ndomain = "auth.example.org"\n[database]\nengine = "sqlite"\nconnection = "x.db"\n[api]\n${api}\n`, {});
}

describe('ownChallengeNames: where the own certificate publishes its DNS-01 values', () => {
  test.each<[string, string, string[]]>([
    ['no own certificate: none', 'tls = "none"', []],
    ['the zone only', 'tls = "letsencrypt"', ['_acme-challenge.auth.example.org']],
    ['an api_domain inside the zone', 'tls = "letsencrypt"\napi_domain = "api.auth.example.org"', ['_acme-challenge.auth.example.org', '_acme-challenge.api.auth.example.org']],
    ['an api_domain outside it: below the zone, several labels deep', 'tls = "acme"\nacme_directory = "https://ca.test/dir"\napi_domain = "API.example.test"', ['_acme-challenge.auth.example.org', '_acme-challenge.api.example.test.auth.example.org']],
  ])('%s', (_what, api, names) => {
    expect(ownChallengeNames(config(api))).toEqual(names);
  });
});
