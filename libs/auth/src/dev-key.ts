import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** Algorithm of generated development keys (EC P-256). */
export const DEV_KEY_ALGORITHM = 'ES256';

/** Contents of the development key file: one key pair with a key id. */
export interface DevKeyFile {
  kid: string;
  alg: string;
  publicKey: JWK;
  privateKey: JWK;
}

/** Reads the key file, or generates and writes it (mode 0600) when it does not exist yet. */
export async function ensureDevKey(keyFile: string): Promise<DevKeyFile> {
  const existing = tryReadDevKey(keyFile);
  if (existing) return existing;

  const { publicKey, privateKey } = await generateKeyPair(DEV_KEY_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const alg = DEV_KEY_ALGORITHM;
  const key: DevKeyFile = {
    kid,
    alg,
    publicKey: { ...publicJwk, kid, alg, use: 'sig' },
    privateKey: { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' },
  };

  // Write to a temporary file, then link it into place: link fails if another
  // process won the race, in which case its key is the one everybody uses.
  mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
  const tmp = `${keyFile}.${randomUUID()}.tmp`;
  writeFileSync(tmp, JSON.stringify(key, null, 2) + '\n', { mode: 0o600 });
  try {
    linkSync(tmp, keyFile);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readDevKey(keyFile);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** The public half only: what a verifier needs. Throws when the file is missing or invalid. */
export function readDevPublicKey(keyFile: string): JWK {
  const { publicKey, kid, alg } = readDevKey(keyFile);
  // Never hand private members to a verifier, even if the file was edited by hand.
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, k: _k, ...pub } = publicKey;
  return { ...pub, kid, alg };
}

function readDevKey(keyFile: string): DevKeyFile {
  const parsed = JSON.parse(readFileSync(keyFile, 'utf8')) as Partial<DevKeyFile>;
  if (
    typeof parsed.kid !== 'string' ||
    typeof parsed.alg !== 'string' ||
    typeof parsed.publicKey !== 'object' ||
    typeof parsed.privateKey !== 'object'
  ) {
    throw new Error(`Development key file ${keyFile} is not a valid key pair`);
  }
  return parsed as DevKeyFile;
}

function tryReadDevKey(keyFile: string): DevKeyFile | undefined {
  try {
    return readDevKey(keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
