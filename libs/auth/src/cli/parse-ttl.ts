const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `3600`, `90s`, `30m`, `1h`, `7d`, `-5m` → seconds; undefined when unreadable. */
export function parseTtl(value: string | undefined): number | undefined {
  const match = /^(-?\d+)([smhd]?)$/.exec((value ?? '').trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_SECONDS[match[2] || 's'];
}
