import type { AccountSummary, AuditEntry } from '../../store';
import { auditJson, auditRow, isoSeconds, listRow, showText, summaryJson } from './format';

const S: AccountSummary = {
  username: 'c36f50e8-4632-44f0-83fe-e070fef28a10',
  subdomain: '8e5700ea-a4bf-4fe4-9f5c-5bb01d4e53a7',
  allowFrom: ['10.0.0.0/8', '::1/128'],
  createdAt: 1_714_564_800,
  liveValues: 2,
  lastUpdate: 1_714_568_400,
};

const E: AuditEntry = {
  id: 7,
  at: 1_714_564_800_250,
  action: 'allowfrom.changed',
  username: S.username,
  subdomain: S.subdomain,
  client: null,
  actor: 'cli',
  detail: '{"allowfrom":[],"previous":["10.0.0.0/8"]}',
};

describe('accounts and audit output', () => {
  it('prints times in UTC', () => {
    expect(isoSeconds(1_714_564_800)).toBe('2024-05-01T12:00:00Z');
  });

  it.each<[string, AccountSummary, string]>([
    ['restricted, with values', S, `${S.username}  ${S.subdomain}       2  2024-05-01T13:00:00Z  10.0.0.0/8, ::1/128`],
    ['open, never updated', { ...S, allowFrom: [], liveValues: 0, lastUpdate: null }, `${S.username}  ${S.subdomain}       0  -                     (anywhere)`],
  ])('list row: %s', (_name, summary, row) => {
    expect(listRow(summary)).toBe(row);
  });

  it('summary JSON names the full domain and ISO times', () => {
    expect(summaryJson(S, 'auth.example.org')).toEqual({
      username: S.username,
      subdomain: S.subdomain,
      fulldomain: `${S.subdomain}.auth.example.org`,
      allowfrom: S.allowFrom,
      created: '2024-05-01T12:00:00Z',
      values: 2,
      lastUpdate: '2024-05-01T13:00:00Z',
    });
  });

  it('show lists the values under the fields', () => {
    expect(showText({ ...S, allowFrom: [] }, 'auth.example.org', ['v1', 'v2'])).toBe(
      [
        `username:    ${S.username}`,
        `subdomain:   ${S.subdomain}`,
        `fulldomain:  ${S.subdomain}.auth.example.org`,
        'allowfrom:   (anywhere)',
        'created:     2024-05-01T12:00:00Z',
        'last update: 2024-05-01T13:00:00Z',
        'txt values:  2',
        '  v1',
        '  v2',
        '',
      ].join('\n'),
    );
  });

  it.each<[string, AuditEntry, string]>([
    ['cli change with detail', E, `2024-05-01T12:00:00.250Z  allowfrom.changed  ${S.username}  cli      -                {"allowfrom":[],"previous":["10.0.0.0/8"]}`],
    ['api change without detail', { ...E, action: 'txt.updated', actor: 'api', client: '2001:db8::1', detail: null }, `2024-05-01T12:00:00.250Z  txt.updated        ${S.username}  api      2001:db8::1`],
    [
      'RFC 2136 update naming its key',
      { ...E, action: 'txt.removed', actor: 'rfc2136', client: '192.0.2.53', detail: '{"removed":1,"key":"k1.example"}' },
      `2024-05-01T12:00:00.250Z  txt.removed        ${S.username}  rfc2136  192.0.2.53       {"removed":1,"key":"k1.example"}`,
    ],
  ])('audit row: %s', (_name, entry, row) => {
    expect(auditRow(entry)).toBe(row);
  });

  it('audit JSON parses the detail back into an object', () => {
    expect(auditJson(E)).toEqual({
      id: 7,
      at: '2024-05-01T12:00:00.250Z',
      action: 'allowfrom.changed',
      username: S.username,
      subdomain: S.subdomain,
      actor: 'cli',
      client: null,
      detail: { allowfrom: [], previous: ['10.0.0.0/8'] },
    });
  });

  it('never throws on a time no Date can hold, and keeps JSON valid', () => {
    const bad = { ...S, createdAt: Number.NaN, lastUpdate: 1e300 };
    expect(listRow(bad)).toContain('invalid time (1e+300)');
    expect(showText(bad, 'auth.example.org', [])).toContain('last update: invalid time (1e+300)');
    expect(JSON.parse(JSON.stringify(summaryJson(bad, 'auth.example.org')))).toMatchObject({ created: null, lastUpdate: null });
    expect(auditRow({ ...E, at: 1e300 })).toMatch(/^invalid time \(1e\+300\)/);
    expect(auditJson({ ...E, at: 1e300, detail: 'not json' })).toMatchObject({ at: null, detail: 'not json' });
  });

  it('escapes and cuts names in text output', () => {
    const hostile = { ...S, subdomain: `\x1b[31m${'x'.repeat(5000)}`, allowFrom: ['\x1b[2J'] };
    const row = listRow(hostile);
    expect(row).not.toContain('\x1b');
    expect(row).toContain(`\\x1b[31m${'x'.repeat(75)}…(4925 more)`);
    expect(row).toContain('\\x1b[2J');
    expect(auditRow({ ...E, detail: '{"allowfrom":["\u202e"]}' })).toContain('\\u202e');
  });
});
