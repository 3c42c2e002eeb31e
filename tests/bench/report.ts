import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LatencySummary } from './stats';

export interface TableRow {
  readonly section: 'throughput' | 'latency';
  readonly metric: string;
  readonly unit: 'events/s' | 'ms';
  readonly baselineLabel: string;
  readonly ketenlinkLabel: string;
  readonly baseline: number;
  readonly ketenlink: number;
  /** ketenlink ÷ baseline. */
  readonly ratio: number;
  readonly better: 'higher' | 'lower';
}

export function row(
  section: TableRow['section'],
  metric: string,
  baselineLabel: string,
  ketenlinkLabel: string,
  baseline: number,
  ketenlink: number,
): TableRow {
  const unit = section === 'throughput' ? 'events/s' : 'ms';
  const better = section === 'throughput' ? 'higher' : 'lower';
  return {
    section,
    metric,
    unit,
    baselineLabel,
    ketenlinkLabel,
    baseline,
    ketenlink,
    ratio: ketenlink / baseline,
    better,
  };
}

export function latencyRows(
  what: string,
  baselineLabel: string,
  ketenlinkLabel: string,
  b: LatencySummary,
  k: LatencySummary,
): TableRow[] {
  return (['p50', 'p95', 'p99', 'max'] as const).map((p) =>
    row('latency', `${what} ${p}`, baselineLabel, ketenlinkLabel, b[p], k[p]),
  );
}

function num(v: number, unit: TableRow['unit']): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (unit === 'events/s') return Math.round(v).toLocaleString('en-US');
  return v < 10 ? v.toFixed(2) : v.toFixed(1);
}

/** "0.21× (slower)" — ketenlink ÷ baseline, with which way is worse spelled out. */
export function verdict(r: TableRow): string {
  if (!Number.isFinite(r.ratio)) return 'n/a';
  const worse = r.better === 'higher' ? r.ratio < 1 : r.ratio > 1;
  const factor = r.better === 'higher' ? 1 / r.ratio : r.ratio;
  const how =
    Math.abs(r.ratio - 1) < 0.05 ? 'on par' : worse ? `${factor.toFixed(1)}× slower` : 'faster';
  return `${r.ratio.toFixed(2)}× (${how})`;
}

export function formatTable(rows: readonly TableRow[]): string {
  const header = ['metric', 'unit', 'baseline', 'ketenlink', 'ketenlink ÷ baseline'];
  const body = rows.map((r) => [
    r.metric,
    r.unit,
    num(r.baseline, r.unit),
    num(r.ketenlink, r.unit),
    verdict(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    '| ' +
    cells
      .map((c, i) => (i >= 2 && i <= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join(' | ') +
    ' |';
  const sep = '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|';
  return [line(header), sep, ...body.map(line)].join('\n');
}

/** Which baseline and which Ketenlink path each row compares. */
export function formatLegend(rows: readonly TableRow[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const r of rows) {
    const key = r.metric.replace(/ (p50|p95|p99|max)$/, '');
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`  ${key}: baseline = ${r.baselineLabel}; ketenlink = ${r.ketenlinkLabel}`);
  }
  return lines.join('\n');
}

export function writeJson(repoRoot: string, result: unknown): string[] {
  const dir = path.join(repoRoot, '.data', 'bench');
  mkdirSync(dir, { recursive: true });
  const latest = path.join(dir, 'latest.json');
  const stamped = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const text = JSON.stringify(result, null, 2) + '\n';
  writeFileSync(latest, text);
  writeFileSync(stamped, text);
  return [latest, stamped];
}
