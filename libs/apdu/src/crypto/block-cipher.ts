import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { CryptoInputError } from '../errors';

/** DES = single DES (8-byte key); 3DES = 2-key (16) or 3-key (24) EDE; SM4 = GB/T 32907-2016. */
export type BlockCipherName = 'DES' | '3DES' | 'SM4';
export type CipherMode = 'ECB' | 'CBC';

export function blockSize(cipher: BlockCipherName): 8 | 16 {
  return cipher === 'SM4' ? 16 : 8;
}

/**
 * OpenSSL 3 only ships single DES in its legacy provider, which Node does not load.
 * EDE with K1 = K2 collapses to E_K1(D_K1(E_K1(x))) = E_K1(x), so single DES is
 * run as 2-key 3DES with the key doubled.
 */
function opensslName(cipher: BlockCipherName, key: Buffer, mode: CipherMode): { name: string; key: Buffer } {
  const m = mode.toLowerCase();
  if (cipher === 'SM4') {
    if (key.length !== 16) throw new CryptoInputError(`SM4 key must be 16 bytes, got ${key.length}`);
    return { name: `sm4-${m}`, key };
  }
  if (cipher === 'DES') {
    if (key.length !== 8) throw new CryptoInputError(`DES key must be 8 bytes, got ${key.length}`);
    return { name: `des-ede-${m}`, key: Buffer.concat([key, key]) };
  }
  if (key.length === 16) return { name: `des-ede-${m}`, key };
  if (key.length === 24) return { name: `des-ede3-${m}`, key };
  throw new CryptoInputError(`3DES key must be 16 or 24 bytes, got ${key.length}`);
}

function run(encrypt: boolean, cipher: BlockCipherName, key: Uint8Array, data: Uint8Array, mode: CipherMode, iv?: Uint8Array): Buffer {
  const bs = blockSize(cipher);
  if (data.length % bs !== 0) {
    throw new CryptoInputError(`${cipher} input must be a multiple of ${bs} bytes (no implicit padding), got ${data.length}`);
  }
  const { name, key: k } = opensslName(cipher, Buffer.from(key), mode);
  let ivBuf: Buffer | null = null;
  if (mode === 'CBC') {
    ivBuf = iv ? Buffer.from(iv) : Buffer.alloc(bs);
    if (ivBuf.length !== bs) throw new CryptoInputError(`${cipher}-CBC IV must be ${bs} bytes, got ${ivBuf.length}`);
  } else if (iv) {
    throw new CryptoInputError('ECB takes no IV');
  }
  const c = encrypt ? createCipheriv(name, k, ivBuf) : createDecipheriv(name, k, ivBuf);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

/** Encrypts whole blocks without padding; CBC IV defaults to zeros. */
export function blockEncrypt(cipher: BlockCipherName, key: Uint8Array, data: Uint8Array, mode: CipherMode = 'ECB', iv?: Uint8Array): Buffer {
  return run(true, cipher, key, data, mode, iv);
}

export function blockDecrypt(cipher: BlockCipherName, key: Uint8Array, data: Uint8Array, mode: CipherMode = 'ECB', iv?: Uint8Array): Buffer {
  return run(false, cipher, key, data, mode, iv);
}
