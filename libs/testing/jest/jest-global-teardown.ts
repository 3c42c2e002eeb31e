import type { TestInfrastructure } from '@ketenlink/testing';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __ketenlinkInfra?: TestInfrastructure }).__ketenlinkInfra?.stop();
}
