/**
 * CARD_MASTER_KEYS as card-issuance reads it (`projectId:hex,...` or a JSON object). The
 * simulator needs the project's key only to make a blank card the way a card factory would.
 */
export function parseMasterKeys(text: string): Map<string, Buffer> {
  const trimmed = text.trim();
  const pairs: Array<[string, string]> = trimmed.startsWith('{')
    ? Object.entries(JSON.parse(trimmed) as Record<string, string>)
    : trimmed.split(',').filter(Boolean).map((p) => {
        const i = p.lastIndexOf(':');
        return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as [string, string];
      });
  return new Map(pairs.map(([project, hex]) => [project, Buffer.from(hex, 'hex')]));
}
