import { randomBytes } from 'node:crypto';
import { Keyring } from '../../config/keyring';
import { isCurrent, open, seal, SealedBoxError } from './sealed-box';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('sealed box (AES-256-GCM under a keyring)', () => {
  const k1 = key('k1');
  const k2 = key('k2');

  it('opens what it sealed, with the same additional data, under any key of the keyring', () => {
    const old = new Keyring([k1]);
    const sealed = seal(old, 'the secret', 'tenant-a|type');
    expect(sealed.keyId).toBe('k1');
    expect(sealed.sealed.includes(Buffer.from('the secret'))).toBe(false);
    const rotated = new Keyring([k2, k1]);
    expect(open(rotated, sealed, 'tenant-a|type').toString()).toBe('the secret');
    expect(isCurrent(rotated, sealed)).toBe(false);
    expect(seal(rotated, 'x', 'aad').keyId).toBe('k2');
  });

  it('two seals of one value differ (random IV)', () => {
    const keyring = new Keyring([k1]);
    expect(seal(keyring, 'same', 'aad').sealed.equals(seal(keyring, 'same', 'aad').sealed)).toBe(false);
  });

  it('refuses other additional data, a tampered byte, a missing key or a wrong key', () => {
    const keyring = new Keyring([k1]);
    const sealed = seal(keyring, 'the secret', 'tenant-a|type');
    expect(() => open(keyring, sealed, 'tenant-b|type')).toThrow(SealedBoxError);
    const tampered = Buffer.from(sealed.sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => open(keyring, { ...sealed, sealed: tampered }, 'tenant-a|type')).toThrow(SealedBoxError);
    expect(() => open(new Keyring([k2]), sealed, 'tenant-a|type')).toThrow(/not in the keyring/);
    expect(() => open(new Keyring([{ id: 'k1', key: randomBytes(32) }]), sealed, 'tenant-a|type')).toThrow(SealedBoxError);
    expect(() => open(keyring, { ...sealed, sealed: Buffer.alloc(10) }, 'tenant-a|type')).toThrow(/format/);
  });
});
