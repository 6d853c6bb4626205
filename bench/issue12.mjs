// The issue-12 section of the report: q/s for one and two DNS workers side by side, the latency
// at a steady 2,000 TXT q/s beside knot's and acme-dns's figures from the issue, memory and
// start-up with 1,000,000 accounts, and the ratios of "How it is checked" with PASS/MISS.
import { formatTable } from './report.mjs';
import { median } from './interleaved.mjs';

const MIB = 1024;
const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const pct = (r) => (Number.isFinite(r) ? `${(r * 100).toFixed(1)}%` : '—');
const ms = (v) => (v === Infinity ? 'timeout' : Number.isFinite(v) ? v.toFixed(3) : '—');
const mib = (kib) => (Number.isFinite(kib) ? `${(kib / MIB).toFixed(0)} MiB` : '—');

/**
 * acme-dns (Go) at 2,000 TXT q/s, from the issue (two runs on this machine, same pinning): the
 * reference when the run measured no acme-dns (no --acme-dns binary). Ours is then compared with
 * the lower end of each range (the stricter reading).
 */
const ACME_DNS = { p99: 0.52, p999: 1.8 };
const ACME_DNS_LINE = 'acme-dns (issue 12, measured earlier on this machine, not in this run): p50 0.23 p99 0.52-0.56 p99.9 1.8 max 5 ms';

/** The issue-12 scenario ids this section reads. */
const IDS = ['echo', 'w1', 'w2', 'w1-1m', 'w2-1m', 'acme-dns'];

/** One check: PASS/MISS when both sides were measured, n/a (ok undefined) when not. */
function check(name, value, shown, pass, note = '') {
  const ok = Number.isFinite(value) ? pass(value) : undefined;
  return { name, value: Number.isFinite(value) ? shown(value) : '—', ok, note };
}

/** a.qps / b.qps of two measures (`id.measure`), NaN when either is missing. */
function ratioOf(results, a, b) {
  const [ia, ma] = a.split('.');
  const [ib, mb] = b.split('.');
  const x = results[ia]?.[ma];
  const y = results[ib]?.[mb];
  return x && y ? x.qps / y.qps : NaN;
}

/**
 * The section's text and its checks ({ name, value, ok, note }), or undefined when no issue-12
 * scenario was asked for. `extras` (per scenario: startKib, peakKib, processes,
 * firstAnswerSeconds), `failed` (id -> why it could not start), `million` (the 1M store built),
 * `tail` and `ratios` (tail.mjs's and ratios.mjs's interleaved measurements, when they ran),
 * `tailEveryCore` (the tail again with every server on every core, when it ran).
 */
export function formatIssue12(meta, scenarios, results, extras, failed, million, tail, ratios, tailEveryCore) {
  const asked = scenarios.filter((s) => IDS.includes(s.id));
  if (asked.length === 0) {
    // Only the tail, or only the PostgreSQL-vs-SQLite part of the bar applies (--only tail,
    // --only ours-1,pg-1).
    const big = int(meta.million);
    const checks = [
      ...(tail ? tailChecks(results, big, tail) : []),
      ...everyCoreTailChecks(big, tailEveryCore),
      ...(results['pg-1'] && results['ours-1'] ? pgChecks(results) : []),
    ];
    if (checks.length === 0) return undefined;
    return { text: ['Issue 12 bar (same run)', barTable(checks)].join('\n'), checks };
  }
  const big = int(meta.million);
  const q = (id, m) => results[id]?.[m]?.qps;
  const out = [];
  out.push(`Issue 12: DNS on every core, the query path at the runtime's limit, flat to ${big} accounts`);
  if (million) {
    out.push(`  the ${big}-account SQLite store: bulk import (importAccounts, one shared bcrypt hash) took ${million.importSeconds.toFixed(1)} s,`);
    out.push('  built once for this run; w1-1m and w2-1m each serve a fresh copy of the file');
  }
  for (const [id, why] of Object.entries(failed)) {
    if (IDS.includes(id)) out.push(`  ${id}: NOT MEASURED: ${why.split('\n')[0]}`);
  }
  out.push('');

  // Throughput: one row per query type, one and two workers side by side.
  const row = (label, one, two, m, knotMeasure = m, knotMark = '') => {
    const a = q(one, m);
    const b = q(two, m);
    const k = q('knot', knotMeasure);
    const g = q('acme-dns', m);
    return [label, int(a), int(b), Number.isFinite(a) && Number.isFinite(b) ? `${(b / a).toFixed(2)}x` : '—', `${int(k)}${Number.isFinite(k) ? knotMark : ''}`, int(g)];
  };
  out.push('Throughput (q/s, dnsperf at full speed; workers = 1 on core 0, workers = 2 on cores 0-1)');
  out.push(formatTable(['query', 'workers = 1', 'workers = 2', '2 / 1', 'knot', 'acme-dns'], [
    row('SOA', 'w1', 'w2', 'soa'),
    row('TXT, 1 account', 'w1', 'w2', 'txtOne'),
    row(`TXT, random of ${big} accounts`, 'w1-1m', 'w2-1m', 'txtMillion', 'txtMany', ' *'),
    row('NXDOMAIN flood, 1-account store', 'w1', 'w2', 'nxFlood'),
    row(`NXDOMAIN flood, ${big}-account store`, 'w1-1m', 'w2-1m', 'nxFlood'),
    row('NXDOMAIN, 10,000 names repeating (issue 2)', 'w1', 'w2', 'nx'),
    ['bare Node UDP echo, SOA file (core 0)', int(q('echo', 'soa')), '', '', '', ''],
  ], 'lrrrrr'));
  out.push(`* knot serves its ${int(meta.accounts)}-name zone with all its names shuffled (it is not given ${big}).`);
  out.push('NXDOMAIN flood: TXT for nx-<16 hex> names, a new file of 1,000,000 distinct names before every run, so no');
  out.push('name repeats within a run (a random-subdomain flood; the issue-2 row repeats 10,000 names, which a');
  out.push('negative cache absorbs).');
  const cpus = meta.cores.count;
  if (cpus <= 2) {
    out.push(`NOTE: on a ${cpus}-core machine the two-worker figure is limited by dnsperf sharing a core (server on`);
    out.push('cores 0-1 when workers = 2, dnsperf wherever it can run), so the scaling is not measured here: run the');
    out.push('bench where more cores are available to report the scaling from 1 to N workers.');
  } else {
    out.push(`NOTE: workers = 2 runs on cores 0-1 and dnsperf on cores 2-${cpus - 1}: the 2 / 1 column is the scaling from`);
    out.push('one to two workers, as long as dnsperf was not the limit (its CPU share in the tables above).');
  }
  out.push('');

  // Latency at a steady 2,000 TXT q/s.
  const lat = (label, id, m) => {
    const r = results[id]?.[m];
    return [label, ms(r?.p50), ms(r?.p99), ms(r?.p999), ms(r?.max), int(r?.samples)];
  };
  out.push('Latency at a steady 2,000 TXT q/s (dnsperf -Q 2000 -v, every answer; ms)');
  out.push(formatTable(['server', 'p50', 'p99', 'p99.9', 'max', 'answers'], [
    lat('ours, workers = 1, 1 account', 'w1', 'latTxtOne'),
    lat(`ours, workers = 1, random of ${big}`, 'w1-1m', 'latTxtMillion'),
    lat('ours, workers = 2, 1 account', 'w2', 'latTxtOne'),
    lat(`ours, workers = 2, random of ${big}`, 'w2-1m', 'latTxtMillion'),
    lat('knot, 1 name', 'knot', 'latTxtOne'),
    lat('bare Node UDP echo (core 0), TXT file', 'echo', 'latTxtOne'),
    lat('acme-dns (Go), 1 account', 'acme-dns', 'latTxtOne'),
  ], 'lrrrrr'));
  if (!results['acme-dns']) out.push(ACME_DNS_LINE);
  out.push('One 10 s run per server, each in its own stretch of the run: see the interleaved tail for the comparison.');
  out.push('The echo answers every query with itself: its tail is what the machine and the runtime add on the server');
  out.push('core with no query path at all: a server pinned there cannot be expected to do better in the same run.');
  out.push('');

  // Memory and start-up.
  const mem = (id) => {
    const e = extras[id];
    const s = scenarios.find((x) => x.id === id);
    if (!s) return undefined;
    if (!e) return [s.label, '', '', '', '', failed[id] ? 'not measured' : '—'];
    return [s.label, String(e.processes ?? '—'), mib(e.startKib), mib(e.peakKib), mib(e.peakPssKib),
      e.firstAnswerSeconds === undefined ? '—' : `${e.firstAnswerSeconds.toFixed(2)} s`];
  };
  out.push('Memory (VmRSS and Pss summed over the server\'s process tree: primary + workers) and start-up');
  out.push(formatTable(['server', 'processes', 'RSS after start', 'RSS peak', 'PSS peak', 'spawn -> first correct TXT'],
    ['w1', 'w2', 'w1-1m', 'w2-1m'].map(mem).filter(Boolean), 'lrrrrr'));
  out.push('The RSS sum counts pages the processes share (the node binary, ~45 MiB) once per process; the PSS');
  out.push('sum counts each page once, split among its sharers: the physical memory of the tree. The bar is on RSS.');
  out.push('');

  const checks = [...issue12Checks(results, extras, big, tail, ratios), ...everyCoreTailChecks(big, tailEveryCore)];
  out.push('Issue 12 bar (same run; workers = 1 unless named)');
  out.push(barTable(checks));
  if (ratios) out.push(`The first five ratios are medians over the ${ratios.rounds} interleaved rounds (see "Throughput ratios"), not the single runs above.`);
  out.push('The 2 / 1 column above is the scaling from one to two workers: reported, not judged (see NOTE).');
  return { text: out.join('\n'), checks };
}

/** The ratios of issue 12's "How it is checked", each PASS/MISS or n/a. */
function issue12Checks(results, extras, big, tail, ratios) {
  const at = (v) => (x) => x >= v;
  // The median of the interleaved rounds' ratio `id` when they ran (ratios.mjs), else a / b of the scenarios' own runs.
  const r = (a, b, id) => (ratios ? median(ratios.ratios[id]) : ratioOf(results, a, b));
  const checks = [
    check('TXT (1 account) / SOA >= 85%', r('w1.txtOne', 'w1.soa', 'txtSoa'), pct, at(0.85)),
    check('NXDOMAIN (flood) / SOA >= 90%', r('w1.nxFlood', 'w1.soa', 'nxSoa'), pct, at(0.9)),
    check('SOA / bare Node echo >= 90%', r('w1.soa', 'echo.soa', 'soaEcho'), pct, at(0.9), 'echo: same core, same SOA file'),
    check(`TXT random of ${big} / TXT 1 account >= 90%`, r('w1-1m.txtMillion', 'w1.txtOne', 'millionTxt'), pct, at(0.9)),
    check(`NXDOMAIN flood at ${big} / at 1 account >= 90%`, r('w1-1m.nxFlood', 'w1.nxFlood', 'millionNx'), pct, at(0.9)),
  ];
  for (const id of ['w1-1m', 'w2-1m']) {
    checks.push(check(`spawn -> first correct answer, ${big} accounts (${id}) <= 5 s`, extras[id]?.firstAnswerSeconds ?? NaN, (v) => `${v.toFixed(2)} s`, (v) => v <= 5));
  }
  for (const id of ['w1', 'w1-1m', 'w2', 'w2-1m']) {
    const accounts = id.endsWith('-1m') ? big : '1';
    checks.push(check(`RSS peak, ${accounts} account(s), ${id.startsWith('w2') ? 2 : 1} worker(s) < 500 MiB`, extras[id]?.peakKib ?? NaN, mib, (v) => v < 500 * MIB));
  }
  checks.push(...tailChecks(results, big, tail));
  return [...checks, ...pgChecks(results)];
}

/**
 * p99 and p99.9 at 2,000 TXT q/s, ours (1 account, and random of the big store) at or below
 * acme-dns's: from the interleaved tail when it ran, else from each scenario's own latency run;
 * against acme-dns measured the same way, or the issue's figures when no acme-dns ran.
 */
function tailChecks(results, big, tail) {
  const measured = tail ? tail.servers['acme-dns']?.pooled : results['acme-dns']?.latTxtOne;
  const ref = measured ?? ACME_DNS;
  const whence = !measured ? 'acme-dns from the issue, not this run' : tail ? 'acme-dns, same rounds' : 'acme-dns, its own run';
  const echo = tail ? tail.servers.echo?.pooled : results.echo?.latTxtOne;
  const ours = tail
    ? [['1 account', tail.servers.ours?.pooled], [`random of ${big}`, tail.servers['ours-1m']?.pooled]]
    : [['1 account', results.w1?.latTxtOne], [`random of ${big}`, results['w1-1m']?.latTxtMillion]];
  return latencyChecks(ours, tail ? 'interleaved, one core' : 'own run', ref, `${whence}: `, echo);
}

/**
 * The same p99 and p99.9 checks on the every-core tail (ours with a worker per core against
 * acme-dns on every core, same rounds); none when it did not run or measured no acme-dns.
 */
function everyCoreTailChecks(big, tail) {
  const ref = tail?.servers['acme-dns']?.pooled;
  if (!ref) return [];
  const ours = [['1 account', tail.servers.ours?.pooled], [`random of ${big}`, tail.servers['ours-1m']?.pooled]];
  return latencyChecks(ours, 'interleaved, every core, a worker per core', ref, 'acme-dns on every core, same rounds: ', tail.servers.echo?.pooled);
}

/** p99 and p99.9 of each of `ours` ([what, latencies]) at or below `ref`'s, the echo's beside. */
function latencyChecks(ours, how, ref, refNote, echo) {
  const floor = (v) => (Number.isFinite(v) ? `; bare echo ${ms(v)} ms` : '');
  const checks = [];
  for (const [what, lat] of ours) {
    for (const [k, name] of [['p99', 'p99'], ['p999', 'p99.9']]) {
      checks.push(check(`${name} @2,000 TXT q/s, ${what} (${how}) <= acme-dns`, lat?.[k] ?? NaN, (v) => `${ms(v)} ms`, (v) => v <= ref[k],
        `${refNote}${ms(ref[k])} ms${floor(echo?.[k])}`));
    }
  }
  return checks;
}

/** PostgreSQL TXT and NXDOMAIN at least half the SQLite rate (pg-1 vs ours-1, issue-2 query files). */
function pgChecks(results) {
  const at = (v) => (x) => x >= v;
  return [
    check('PostgreSQL TXT (pg-1) >= 50% of SQLite (ours-1)', ratioOf(results, 'pg-1.txtOne', 'ours-1.txtOne'), pct, at(0.5), 'needs pg-1 and ours-1 in the run'),
    check('PostgreSQL NXDOMAIN (pg-1) >= 50% of SQLite (ours-1)', ratioOf(results, 'pg-1.nx', 'ours-1.nx'), pct, at(0.5), 'needs pg-1 and ours-1 in the run'),
  ];
}

/** The checks as a table: value, PASS/MISS (n/a when a side was not measured), reference. */
function barTable(checks) {
  return formatTable(['check', 'value', 'result', 'reference'],
    checks.map((c) => [c.name, c.value, c.ok === undefined ? 'n/a' : c.ok ? 'PASS' : 'MISS', c.note]), 'lrll');
}
