import { randomBytes } from 'node:crypto';
import { AesGcmIdentityCipher } from './identity-cipher';

const key = () => randomBytes(32).toString('base64');
const identity = { bsn: '111222333', name: 'J. de Vries', dateOfBirth: '1990-04-12' };
const T1 = '5b0c7c0e-3f7e-4a51-9d0e-2f0b8f0f4a11';
const T2 = '6c1d8d1f-4f8f-4b62-8e1f-3f1c9f1f5b22';

describe('identity cipher (AES-256-GCM)', () => {
  it('round-trips, and the stored bytes hold neither BSN nor name', () => {
    const cipher = new AesGcmIdentityCipher(`k1:${key()}`);
    const sealed = cipher.seal(T1, identity);
    expect(sealed.keyId).toBe('k1');
    expect(sealed.ciphertext.toString('latin1')).not.toContain('111222333');
    expect(sealed.ciphertext.toString('latin1')).not.toContain('Vries');
    expect(cipher.open(T1, sealed)).toEqual(identity);
  });

  it('a fresh IV per seal: the same identity encrypts differently', () => {
    const cipher = new AesGcmIdentityCipher(`k1:${key()}`);
    expect(cipher.seal(T1, identity).ciphertext).not.toEqual(cipher.seal(T1, identity).ciphertext);
  });

  it('a ciphertext moved to another trajectory or tampered with does not open', () => {
    const cipher = new AesGcmIdentityCipher(`k1:${key()}`);
    const sealed = cipher.seal(T1, identity);
    expect(() => cipher.open(T2, sealed)).toThrow();
    const tampered = { ...sealed, ciphertext: Buffer.from(sealed.ciphertext) };
    tampered.ciphertext[0] = tampered.ciphertext[0]! ^ 1;
    expect(() => cipher.open(T1, tampered)).toThrow();
  });

  it('rotation: the first key encrypts, older keys still decrypt', () => {
    const old = key();
    const before = new AesGcmIdentityCipher(`k1:${old}`).seal(T1, identity);
    const rotated = new AesGcmIdentityCipher(`k2:${key()},k1:${old}`);
    expect(rotated.open(T1, before)).toEqual(identity);
    expect(rotated.seal(T1, identity).keyId).toBe('k2');
  });

  it.each([
    ['no key', undefined, /not set/],
    ['a short key', `k1:${randomBytes(16).toString('base64')}`, /32 bytes/],
    ['no id', key(), /must read/],
    ['a duplicate id', `k1:${key()},k1:${key()}`, /twice/],
  ])('refuses to start with %s', (_why, spec, message) => {
    expect(() => new AesGcmIdentityCipher(spec)).toThrow(message);
  });
});
