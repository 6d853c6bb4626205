import { checkAcmeDnsSchema } from './errors';

const ALL = {
  records: new Set(['username', 'password', 'subdomain', 'allowfrom']),
  txt: new Set(['subdomain', 'value', 'lastupdate']),
};
const tables = (...names: string[]): Set<string> => new Set(names);

describe('checkAcmeDnsSchema', () => {
  it.each<[string, Set<string>, Partial<typeof ALL>, string | undefined, RegExp | undefined]>([
    ['acme-dns v1', tables('acmedns', 'records', 'txt'), {}, '1', undefined],
    ['v0-upgraded: extra columns are fine', tables('acmedns', 'records', 'txt'), { records: new Set([...ALL.records, 'value', 'lastactive']) }, '1', undefined],
    ['something else', tables('notes'), {}, '1', /^db has no table records: not an acme-dns database$/],
    ['an acmedns store', tables('accounts', 'txt_values', 'schema_migrations'), {}, undefined, /^db is an acmedns database already/],
    ['no db_version row: version 0 to acme-dns', tables('acmedns', 'records', 'txt'), {}, undefined, /version 0 database/],
    ['db_version 0', tables('acmedns', 'records', 'txt'), {}, '0', /version 0 database/],
    ['a newer db_version', tables('acmedns', 'records', 'txt'), {}, '2', /db_version "2"/],
    ['no txt table', tables('acmedns', 'records'), {}, '1', /has no table txt/],
    ['a missing column', tables('acmedns', 'records', 'txt'), { txt: new Set(['subdomain', 'value']) }, '1', /table txt has no column lastupdate/],
  ])('%s', (_name, present, columns, version, error) => {
    const check = (): void => checkAcmeDnsSchema('db', present, (t) => columns[t] ?? ALL[t], version);
    if (error) expect(check).toThrow(error);
    else expect(check).not.toThrow();
  });
});
