/**
 * Parsing of CARD_MASTER_KEYS: one master key per project, `projectId:hex,projectId:hex` or a
 * JSON object `{"projectId": "hex"}`. Errors name the project, never the key.
 */
export type CardAlgorithmName = '3DES' | 'SM4';

const PROJECT_ID = /^[A-Za-z0-9_.-]{1,64}$/;

function keyLengths(algorithm: CardAlgorithmName): number[] {
  return algorithm === 'SM4' ? [16] : [16, 24];
}

function entries(text: string): Array<[string, unknown]> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new Error('is not valid JSON');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('must be a JSON object of projectId to hex key');
    return Object.entries(parsed as Record<string, unknown>);
  }
  return trimmed
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part, i) => {
      const colon = part.lastIndexOf(':');
      if (colon <= 0) throw new Error(`entry ${i + 1} must be projectId:hexkey`);
      return [part.slice(0, colon).trim(), part.slice(colon + 1).trim()];
    });
}

export function parseCardMasterKeys(text: string, algorithm: CardAlgorithmName): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  const lengths = keyLengths(algorithm);
  for (const [projectId, hex] of entries(text)) {
    if (!PROJECT_ID.test(projectId)) throw new Error(`has an invalid projectId "${projectId.slice(0, 64)}"`);
    if (keys.has(projectId)) throw new Error(`lists project ${projectId} twice`);
    if (typeof hex !== 'string' || !/^(?:[0-9a-fA-F]{2})+$/.test(hex) || !lengths.includes(hex.length / 2)) {
      throw new Error(`key of project ${projectId} must be ${lengths.map((n) => n * 2).join(' or ')} hex digits for ${algorithm}`);
    }
    keys.set(projectId, Buffer.from(hex, 'hex'));
  }
  if (keys.size === 0) throw new Error('names no project');
  return keys;
}
