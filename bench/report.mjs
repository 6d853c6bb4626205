// The printed report: throughput and latency tables, the ratios and the bar from issue 2.
import { DISTURBED, MEASURES, disturbance, expected, wrongAnswers } from './measures.mjs';

const REFERENCE = 'knot';
/** knot's scenarios (unsigned, online-signed, pre-signed): references, never "ours". */
const isKnot = (s) => s.id === REFERENCE || s.id.startsWith(`${REFERENCE}-`);

const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const pct = (r) => (Number.isFinite(r) ? `${(r * 100).toFixed(1)}%` : '—');
const ms = (v) => (v === Infinity ? 'timeout' : Number.isFinite(v) ? v.toFixed(3) : '—');
const share = (x) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : '—');
/** CPU columns: the server, dnsperf (+ PostgreSQL on its core), and other processes on the server's / dnsperf's core. */
const cpuCols = (r) => [
  share(r.serverCpu),
  r.helperCpu === undefined ? share(r.loadCpu) : `${share(r.loadCpu)} + pg ${share(r.helperCpu)}`,
  `${share(r.otherServerCore)} / ${share(r.otherLoadCore)}`,
];
const lostPct = (s) => (s.sent ? `${((100 * s.lost) / s.sent).toFixed(2)}%` : '—');

/** Fixed-width columns aligned per `align` ('l'/'r' per column; default: two left, rest right). */
export function formatTable(header, rows, align = 'll') {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const fmt = (r) => r.map((c, i) => ((align[i] ?? 'r') === 'l' ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ').trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

/**
 * qps of a scenario's measure divided by the reference's on the same query file, or NaN: knot
 * unsigned, or for a signed measure the knot scenario doing the same work (MEASURES' `reference`).
 */
export function vsReference(results, scenario, measure) {
  const ours = results[scenario]?.[measure];
  const ref = results[MEASURES[measure].reference ?? REFERENCE]?.[measure];
  return ours && ref ? ours.qps / ref.qps : NaN;
}

/** One line of the bar: PASS/MISS when the figure exists, n/a (ok undefined) when not measured. */
function check(name, value, shown, pass, note = '') {
  return { name, value: Number.isFinite(value) ? shown : '—', ok: Number.isFinite(value) ? pass(value) : undefined, note };
}

/**
 * The bar (informational, issue 2). Each check takes the worst figure over our scenarios, so
 * adding a backend (PostgreSQL) only adds scenarios. "Within 10%" of the one-account rate is
 * read as at least 90% of it (faster with more accounts is no miss).
 */
export function evaluateBar(results, scenarios, accounts) {
  // Scenarios marked inBar: false (issue 12's echo and two-worker runs) are not in this bar.
  const ours = scenarios.filter((s) => !isKnot(s) && s.inBar !== false);
  const worst = (values, pick = Math.min) =>
    values.length === 0 || values.some((v) => !Number.isFinite(v)) ? NaN : pick(...values);
  const measured = (s, list) => list.filter((m) => results[s.id]?.[m]);
  const ratio = (list) => worst(ours.flatMap((s) => measured(s, list).map((m) => vsReference(results, s.id, m))));
  const p99 = worst(ours.flatMap((s) => measured(s, ['latTxtOne', 'latTxtMany']).map((m) => results[s.id][m].p99)), Math.max);
  const scaling = worst(ours
    .filter((s) => s.pairWith && results[s.id]?.txtMany && results[s.pairWith]?.txtOne)
    .map((s) => results[s.id].txtMany.qps / results[s.pairWith].txtOne.qps));
  const refLat = results[REFERENCE]?.latTxtOne;
  const refP99 = refLat ? `knot: ${ms(refLat.p99)} ms` : '';
  const txt = ratio(['txtOne', 'txtMany']);
  const soa = ratio(['soa']);
  const nx = ratio(['nx']);
  return [
    check('TXT q/s >= 50% of knot', txt, pct(txt), (v) => v >= 0.5, 'acme-dns: ~10%'),
    check('SOA q/s >= 50% of knot', soa, pct(soa), (v) => v >= 0.5, 'acme-dns: ~70%'),
    check('NXDOMAIN q/s >= 50% of knot', nx, pct(nx), (v) => v >= 0.5),
    // knot's own p99 on the same machine shows how much of the tail is the machine's.
    check('TXT p99 < 0.5 ms at 2,000 q/s', p99, `${ms(p99)} ms`, (v) => v < 0.5, refP99),
    check(`TXT q/s, ${int(accounts)} accounts >= 90% of 1`, scaling, pct(scaling), (v) => v >= 0.9),
  ];
}

/** The whole report as text; `meta` says what ran where. */
export function formatReport(meta, scenarios, results) {
  const out = [];
  out.push(`acmedns bench  ${meta.date}`);
  out.push(`  ${meta.versions}`);
  out.push(`  server under test on core ${meta.cores.server}, dnsperf on core ${meta.cores.load}` +
    `${meta.cores.shared ? ' (ONE core only: figures not comparable)' : ''}; loopback UDP`);
  out.push(`  ${meta.seconds} s per throughput run, ${meta.latencySeconds} s per latency run; ${int(meta.accounts)} accounts in the large store and in knot's zone`);
  out.push('');

  const disturbed = [];
  const qRows = [];
  const lRows = [];
  for (const s of scenarios) {
    for (const [m, r] of Object.entries(results[s.id] ?? {})) {
      const def = MEASURES[m];
      const bad = wrongAnswers(r, expected(s, m));
      if (disturbance(r) > DISTURBED) disturbed.push(`${s.label} / ${def.kind === 'max' ? '' : `@${def.rate}/s `}${def.label}`);
      if (def.kind === 'max') {
        const ratio = isKnot(s) ? '' : pct(vsReference(results, s.id, m));
        qRows.push([s.label, def.label, int(r.qps), ratio, ...cpuCols(r), lostPct(r), bad || 'ok']);
      } else {
        lRows.push([s.label, def.label, int(r.qps), ms(r.p50), ms(r.p99), ms(r.p999), ms(r.max), int(r.samples), ...cpuCols(r), lostPct(r), bad || 'ok']);
      }
    }
  }
  out.push('Throughput: dnsperf at full speed (queries/s answered)');
  out.push(formatTable(['server', 'query', 'q/s', 'vs knot', 'cpu server', 'dnsperf', 'others', 'lost', 'wrong rcodes'], qRows));
  if (qRows.some((r) => /, DO\b/.test(r[1]))) out.push('("vs knot" of a DO row: against knot online-signing the same zone)');
  out.push('');
  out.push('Latency: dnsperf -Q 2000, percentiles over every answer (ms)');
  out.push(formatTable(['server', 'query', 'q/s', 'p50', 'p99', 'p99.9', 'max', 'answers', 'cpu server', 'dnsperf', 'others', 'lost', 'wrong rcodes'], lRows));
  out.push('');
  const signed = formatSigned(scenarios, results);
  if (signed) out.push(signed, '');
  out.push('Bar (informational; worst figure over our scenarios)');
  const bar = evaluateBar(results, scenarios, meta.accounts);
  out.push(formatTable(['check', 'value', 'result', 'reference'],
    bar.map((b) => [b.name, b.value, b.ok === undefined ? 'n/a' : b.ok ? 'PASS' : 'MISS', b.note]), 'lrll'));
  out.push('');
  out.push('cpu: share of one core over the run: the server (its core), dnsperf (its core), and other');
  out.push('processes on the server\'s / dnsperf\'s core. A full-speed run whose server is well under 100%');
  out.push('was limited by dnsperf, not the server (for knot that makes "vs knot" flatter than the truth).');
  if (scenarios.some((s) => s.id.startsWith('pg-'))) {
    out.push(`PostgreSQL runs pinned to dnsperf's core ${meta.cores.load} ("+ pg": its postmaster and backends), so`);
    out.push('the server under test keeps its core to itself and the two share the other.');
  }
  if (disturbed.length > 0) {
    out.push('');
    out.push(`WARNING: other processes used more than ${share(DISTURBED)} of a benchmark core during: ${disturbed.join('; ')}.`);
    out.push(`Those figures are disturbed (each kept the least disturbed of its attempts; retry budget ${meta.retryBudget} s);`);
    out.push('run again on an idle machine for numbers to quote.');
  }
  return { text: out.join('\n'), bar };
}

/**
 * DNSSEC (issue 11): each server's signed figures (DO set) beside its own unsigned ones from the
 * same run, and the share signing leaves; '' when no scenario measured signed answers.
 */
export function formatSigned(scenarios, results) {
  const rows = scenarios
    .filter((s) => results[s.id]?.txtOneDo || results[s.id]?.nxDo)
    .map((s) => {
      const r = results[s.id];
      const share = (signed, plain) => (r[signed] && r[plain] ? pct(r[signed].qps / r[plain].qps) : '—');
      return [s.label, int(r.txtOne?.qps), int(r.txtOneDo?.qps), share('txtOneDo', 'txtOne'), int(r.nx?.qps), int(r.nxDo?.qps), share('nxDo', 'nx')];
    });
  if (rows.length === 0) return '';
  return [
    'DNSSEC: signed (DO set) beside unsigned, same server, same run (q/s)',
    formatTable(['server', 'TXT', 'TXT signed', 'signed/plain', 'NXDOMAIN', 'NXDOMAIN signed', 'signed/plain'], rows, 'l'),
    'Signed NXDOMAIN: ours and knot online answer NOERROR + one NSEC (compact denial, RFC 9824 / black lies),',
    'knot pre-signed NXDOMAIN + NSEC chain records signed at load.',
  ].join('\n');
}
