export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
  localEndpoint: { serviceName: string };
  tags?: Record<string, string>;
}

export const ZIPKIN_URL = process.env.ZIPKIN_URL ?? 'http://127.0.0.1:9411';

export async function fetchTrace(traceId: string): Promise<ZipkinSpan[]> {
  const res = await fetch(`${ZIPKIN_URL}/api/v2/trace/${traceId}`);
  if (res.status === 404) return [];
  if (!res.ok) throw new Error(`zipkin answered ${res.status}`);
  return (await res.json()) as ZipkinSpan[];
}

/** Every trace a service reported in the last `lookbackMs` (for scans over a whole run). */
export async function fetchTraces(
  serviceName: string,
  lookbackMs: number,
): Promise<ZipkinSpan[][]> {
  const q = new URLSearchParams({
    serviceName,
    lookback: String(lookbackMs),
    endTs: String(Date.now()),
    limit: '10000',
  });
  const res = await fetch(`${ZIPKIN_URL}/api/v2/traces?${q}`);
  if (!res.ok) throw new Error(`zipkin answered ${res.status}`);
  return (await res.json()) as ZipkinSpan[][];
}
