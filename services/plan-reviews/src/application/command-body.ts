import { validatePayload, type EventPayloads, type EventType } from '@ketenlink/contracts';
import { ValidationProblemException } from '@ketenlink/http';

/**
 * Command bodies are the event payload minus the fields the service sets (ids, versions, the
 * caller's organisation, times): validated against the event's own contract, so the API and the
 * event cannot drift apart (docs/adr/0028). A 400 lists every finding; nothing is stored.
 */
export function payloadFrom<T extends EventType>(
  type: T,
  body: unknown,
  serverFields: Partial<EventPayloads[T]>,
): EventPayloads[T] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationProblemException([
      { pointer: '', message: 'the body must be a JSON object' },
    ]);
  }
  const set = Object.keys(serverFields).filter((k) => k in body);
  if (set.length > 0) {
    throw new ValidationProblemException(
      set.map((k) => ({ pointer: `/${k}`, message: `${k} is set by the service` })),
    );
  }
  const payload = { ...(body as object), ...serverFields } as EventPayloads[T];
  const result = validatePayload(type, payload);
  if (!result.ok) {
    throw new ValidationProblemException(
      result.errors.map((e) => {
        const [pointer, ...rest] = e.split(' ');
        return pointer?.startsWith('/')
          ? { pointer, message: rest.join(' ') }
          : { pointer: '', message: e };
      }),
    );
  }
  return payload;
}
