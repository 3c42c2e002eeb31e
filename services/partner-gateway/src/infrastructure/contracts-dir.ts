import { join, resolve } from 'node:path';

/** Where the AsyncAPI document is read from: the repository's contracts/ (services run from the root). */
export const REPO_CONTRACTS_DIR = resolve(
  process.env.KETENLINK_CONTRACTS_DIR ?? join(process.cwd(), 'contracts'),
);
