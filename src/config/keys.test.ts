import { z } from 'zod';
import { duration, envKindOf, flag, port, stringList, text } from './fields';
import { KEYS, kindOf } from './keys';

describe('envKindOf (the env coercion a key carries through default, optional and transform)', () => {
  test.each<[string, z.core.$ZodType, string | undefined]>([
    ['text().default', text().default(''), 'string'],
    ['flag().optional', flag().optional(), 'bool'],
    ['port().default (a transform)', port().default(443), 'int'],
    ['duration()', duration(0, 10), 'int'],
    ['stringList().transform().default', stringList().transform((l) => l).default([]), 'list'],
    ['a bare zod schema', z.string(), undefined],
  ])('%s -> %p', (_name, schema, want) => {
    expect(envKindOf(schema)).toBe(want);
  });
});

describe('KEYS (read from the schema)', () => {
  test('has every section and knows keys by their TOML names', () => {
    expect(Object.keys(KEYS)).toEqual(['general', 'database', 'api', 'logconfig', 'txt', 'metrics', 'ratelimit', 'rrl', 'audit', 'transfer', 'dnssec']);
    expect(kindOf('general', 'listen')).toBe('list');
    expect(kindOf('api', 'autocert_port')).toBe('int');
    expect(kindOf('api', 'tlsCertPrivkey')).toBeUndefined();
    expect(kindOf('txt', 'toString')).toBeUndefined();
  });
});
