import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Events, Rpc } from '@onecard/contracts';
import { buildAsyncApi } from './asyncapi-document';

describe('AsyncAPI document', () => {
  const doc = buildAsyncApi() as any;

  it('describes every event subject with its payload schema', () => {
    const addresses = Object.values(doc.channels).map((c: any) => c.address);
    for (const subject of [...Object.values(Events), ...Object.values(Rpc)]) expect(addresses).toContain(subject);
    const issued = doc.components.schemas.CardIssuedEvent;
    expect(issued.properties.uid).toMatchObject({ type: 'string' });
    expect(issued.required).toEqual(expect.arrayContaining(['eventId', 'occurredAt', 'producer', 'uid', 'orderId']));
  });

  it('is committed up to date (run `npm run asyncapi` after changing a contract)', () => {
    const committed = parse(readFileSync(join(__dirname, '../../docs/asyncapi.yaml'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});
