/** The reader may not know the trajectory exists: answer 404 (the refusal is logged). */
export class NotVisibleError extends Error {
  constructor(readonly resource: string) {
    super(`${resource} not found`);
    this.name = 'NotVisibleError';
  }
}

/** The reader sees the trajectory but may not have what it asked for: answer 403 (logged). */
export class DisclosureRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly reasons: readonly string[] = [],
  ) {
    super(message);
    this.name = 'DisclosureRefusedError';
  }
}
