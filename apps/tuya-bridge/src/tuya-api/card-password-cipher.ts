import { createCipheriv } from 'node:crypto';

/**
 * How a card password travels to `PUT …/personnel-cards/actions/edit-password`
 * (`encryptPassword`). The personnel-card document names the field but not the cipher, and
 * Tuya's docs found no page for it. ASSUMPTION, the rule Tuya documents for every other
 * password its OpenAPI carries (the smart-lock calls: "AES, ECB mode, PKCS7Padding, 128-bit
 * block, hex output"), with the key the bridge shares with Tuya for this project: the first 16
 * bytes of the Access Secret. Kept to this one function so a correction from Tuya changes one
 * place; the password itself is never stored or logged.
 */
export function encryptCardPassword(password: string, clientSecret: string): string {
  const key = Buffer.from(clientSecret, 'utf8').subarray(0, 16);
  if (key.length !== 16) throw new Error('the Access Secret is shorter than the 16 bytes an AES-128 key needs');
  const cipher = createCipheriv('aes-128-ecb', key, null);
  return Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]).toString('hex').toUpperCase();
}
