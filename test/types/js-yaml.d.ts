/** The part of js-yaml 3 the tests use (the package ships no types; @types/js-yaml is not installed). */
declare module 'js-yaml' {
  /** Parses one YAML document with the safe schema (no JavaScript types). */
  export function safeLoad(text: string): unknown;
  /** Parses every document of a multi-document YAML stream with the safe schema. */
  export function safeLoadAll(text: string): unknown[];
}
