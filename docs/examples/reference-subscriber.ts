/**
 * A reference webhook subscriber for Ketenlink partner deliveries (docs/partner-guide.md), in
 * plain Node.js with the `standardwebhooks` library. It
 *
 * 1. verifies `webhook-signature` over `webhook-id.webhook-timestamp.body` with every secret it
 *    holds (during a rotation the gateway signs with the old and the new secret; either passes),
 *    and refuses a stale or future `webhook-timestamp` (the library's 5-minute tolerance);
 * 2. deduplicates by `webhook-id`, the delivery key (stable over the gateway's retries; the
 *    event `id`, or `<id>:<replayid>` for a replay copy): a repeat is answered 200 and not
 *    processed again; a replay copy is new and supersedes what it holds of that event id (it
 *    was decided with today's consent: fields it lacks are purged);
 * 3. keeps the events in arrival order (the gateway sends one trajectory's events one at a
 *    time, in order) and answers 2xx only once the event is stored.
 *
 * The integration tests of services/partner-gateway run against it. Run it on its own:
 *   SECRET=whsec_... PORT=8088 node -r @swc-node/register docs/examples/reference-subscriber.ts
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedEvent {
  readonly webhookId: string;
  /** The CloudEvent in JSON (structured) format: id, type, subject, time, extensions, data. */
  readonly event: {
    id: string;
    type: string;
    subject: string;
    time: string;
    data: Record<string, unknown>;
    [attribute: string]: unknown;
  };
  readonly receivedAt: number;
}

export interface ReferenceSubscriber {
  readonly url: string;
  /** Processed events, each webhook-id once, in arrival order. */
  readonly received: ReceivedEvent[];
  /** What it holds per event id: the latest copy (a replay copy supersedes the earlier one). */
  readonly current: ReadonlyMap<string, ReceivedEvent>;
  /** Deliveries refused: bad signature or timestamp. */
  readonly rejected: number;
  /** Repeats of a webhook-id already processed. */
  readonly duplicates: number;
  /** While down, every request is answered 503 (the gateway retries). */
  setDown(down: boolean): void;
  /** Secrets to verify with (e.g. after a rotation). */
  setSecrets(secrets: readonly string[]): void;
  close(): Promise<void>;
}

export async function startReferenceSubscriber(opts: {
  secrets: readonly string[];
  port?: number;
}): Promise<ReferenceSubscriber> {
  let hooks = opts.secrets.map((s) => new Webhook(s));
  let down = false;
  const seen = new Set<string>();
  const received: ReceivedEvent[] = [];
  const current = new Map<string, ReceivedEvent>();
  const counters = { rejected: 0, duplicates: 0 };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (down) return void res.writeHead(503).end();
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = {
      'webhook-id': String(req.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
    };
    let event: ReceivedEvent['event'] | undefined;
    for (const hook of hooks) {
      try {
        event = hook.verify(body, headers) as ReceivedEvent['event'];
        break;
      } catch {
        // try the next secret
      }
    }
    if (!event) {
      counters.rejected++;
      return void res.writeHead(401).end();
    }
    if (seen.has(headers['webhook-id'])) {
      counters.duplicates++;
      return void res.writeHead(200).end();
    }
    // A real subscriber writes the effect and the webhook-id in one database transaction here.
    seen.add(headers['webhook-id']);
    const copy = { webhookId: headers['webhook-id'], event, receivedAt: Date.now() };
    received.push(copy);
    current.set(event.id, copy);
    res.writeHead(204).end();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ketenlink`,
    received,
    current,
    get rejected() {
      return counters.rejected;
    },
    get duplicates() {
      return counters.duplicates;
    },
    setDown: (d) => void (down = d),
    setSecrets: (s) => void (hooks = s.map((x) => new Webhook(x))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (require.main === module) {
  void startReferenceSubscriber({
    secrets: (process.env.SECRET ?? '').split(',').filter(Boolean),
    port: Number(process.env.PORT ?? 8088),
  }).then((s) => {
    console.log(`reference subscriber on ${s.url}`);
    setInterval(() => {
      const last = s.received.at(-1);
      if (last)
        console.log(`${s.received.length} events, last ${last.event.type} ${last.event.id}`);
    }, 5000).unref();
  });
}
