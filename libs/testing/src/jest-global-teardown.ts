import type { TestInfrastructure } from './infrastructure';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __ketenlinkInfra?: TestInfrastructure }).__ketenlinkInfra?.stop();
}
