import { readFileSync } from 'node:fs';

/** "Now" for the schedules: injectable, so tests (and the e2e platform) control time. */
export abstract class Clock {
  abstract now(): Date;
}

/**
 * The system clock, shifted by the offset in milliseconds that the file named by
 * `PLAN_REVIEWS_CLOCK_OFFSET_FILE` holds (read on every call; a missing or empty file is 0).
 * Only the e2e tests set it: they move time forward without sleeping. Unset in production.
 */
export class SystemClock extends Clock {
  constructor(private readonly offsetFile = process.env.PLAN_REVIEWS_CLOCK_OFFSET_FILE) {
    super();
  }

  now(): Date {
    if (!this.offsetFile) return new Date();
    let text = '';
    try {
      text = readFileSync(this.offsetFile, 'utf8').trim();
    } catch {
      text = '';
    }
    const offset = text === '' ? 0 : Number(text);
    if (!Number.isFinite(offset)) throw new Error(`clock offset file holds no number: '${text}'`);
    return new Date(Date.now() + offset);
  }
}
