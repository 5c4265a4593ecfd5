import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TuyaContext } from '@tuya/tuya-connector-nodejs';
import { canonicalUrl, contentSha256, EMPTY_BODY_SHA256, signTuyaRequest, stringToSign, tuyaSign } from './tuya-signature';

describe('Tuya request signature', () => {
  it('sorts the query by name, decoded, and leaves a path without query alone', () => {
    expect(canonicalUrl('/v1.0/x?pageSize=2&page=1&projectId=p%201&name=%E5%BC%A0+%E4%B8%89')).toBe('/v1.0/x?name=张 三&page=1&pageSize=2&projectId=p 1');
    expect(canonicalUrl('/v1.0/token?grant_type=1')).toBe('/v1.0/token?grant_type=1');
    expect(canonicalUrl('/v1.0/x')).toBe('/v1.0/x');
    expect(canonicalUrl('/v1.0/x?')).toBe('/v1.0/x');
    // Upper-case names sort before lower-case ones (code units, as Java's TreeMap does).
    expect(canonicalUrl('/p?b=1&B=2&a=3')).toBe('/p?B=2&a=3&b=1');
  });

  it('hashes the body as sent, and nothing as the hash of the empty string', () => {
    expect(contentSha256(undefined)).toBe(EMPTY_BODY_SHA256);
    expect(contentSha256(Buffer.alloc(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(contentSha256('{}')).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    expect(stringToSign('get', '/v1.0/token?grant_type=1', undefined)).toBe(`GET\n${EMPTY_BODY_SHA256}\n\n/v1.0/token?grant_type=1`);
  });

  it('signs token calls without, and business calls with, the access token', () => {
    const base = { clientId: 'cid', secret: 'secret', t: '1700000000000', nonce: 'n', method: 'GET', pathWithQuery: '/v1.0/x' };
    const token = signTuyaRequest(base);
    expect(token).toEqual({ client_id: 'cid', sign: expect.stringMatching(/^[0-9A-F]{64}$/), t: '1700000000000', nonce: 'n', sign_method: 'HMAC-SHA256' });
    const business = signTuyaRequest({ ...base, accessToken: 'AT' });
    expect(business.access_token).toBe('AT');
    expect(business.sign).not.toBe(token.sign);
    // Every input is part of the signature.
    for (const change of [{ t: '1700000000001' }, { nonce: 'm' }, { method: 'PUT' }, { pathWithQuery: '/v1.0/y' }, { body: 'x' }, { secret: 'other' }]) {
      expect(tuyaSign({ ...base, ...change })).not.toBe(token.sign);
    }
  });
});

interface Captured {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A stand-in for Tuya that records each request exactly as the official connector sent it. */
async function recordingTuya(): Promise<{ server: Server; url: string; requests: Captured[] }> {
  const requests: Captured[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.setHeader('content-type', 'application/json');
      const result = req.url?.startsWith('/v1.0/token') ? { access_token: 'AT-8a1c', refresh_token: 'RT-2f7e', expire_time: 7200, uid: 'u1' } : true;
      res.end(JSON.stringify({ success: true, t: Date.now(), result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe('our signature against Tuya\'s official connector (@tuya/tuya-connector-nodejs)', () => {
  it('signs the token call, a GET with an unsorted, encoded query and a PUT with a body exactly as the connector does', async () => {
    const tuya = await recordingTuya();
    try {
      const clientId = 'txq8mwyw3cfp7kn9jd4r';
      const secret = 'c0ffee5eed2b4a9e8d7c6b5a49382716';
      const connector = new TuyaContext({ baseUrl: tuya.url, accessKey: clientId, secretKey: secret });
      await connector.request({ path: '/v1.0/iot-02/building/personnel-cards', method: 'GET', query: { projectId: '1424615984265764', pageSize: 2, page: 1, name: '张 三' } });
      await connector.request({
        path: '/v1.0/iot-02/building/personnel-cards/actions/edit-password',
        method: 'PUT',
        body: { projectId: '1424615984265764', personId: '1567428253323362', clearPassword: false, encryptPassword: '9F1C' },
      });
      // The connector fetched its token first, then made the two calls.
      expect(tuya.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
        'GET /v1.0/token',
        'GET /v1.0/iot-02/building/personnel-cards',
        'PUT /v1.0/iot-02/building/personnel-cards/actions/edit-password',
      ]);

      for (const sent of tuya.requests) {
        const isTokenCall = sent.url.startsWith('/v1.0/token');
        // Same request: its method, path and query as sent, its body bytes, its t; the connector sends no nonce.
        const ours = signTuyaRequest({
          clientId,
          secret,
          accessToken: isTokenCall ? undefined : 'AT-8a1c',
          t: String(sent.headers.t),
          nonce: '',
          method: sent.method,
          pathWithQuery: sent.url,
          body: sent.body,
        });
        const theirs = { client_id: sent.headers.client_id, sign: sent.headers.sign, t: sent.headers.t, sign_method: sent.headers.sign_method };
        expect({ client_id: ours.client_id, sign: ours.sign, t: ours.t, sign_method: ours.sign_method }).toEqual(theirs);
        if (!isTokenCall) expect(ours.access_token).toBe(sent.headers.access_token);
      }

      // The connector sorts a query before sending it; we send ours in the order given (as
      // OutboundHttp encodes it) and sort only what we sign. Its signing function, on the same
      // request at the same instant, must give our signature for the unsorted URL.
      const now = jest.spyOn(Date, 'now').mockReturnValue(1796486719593);
      try {
        const query = { projectId: '1424615984265764', pageSize: 2, page: 1, name: '张 三' };
        const theirs = await connector.client.getSignHeaders('/v1.0/iot-02/building/personnel-cards', 'GET', { ...query }, {});
        const sentUrl = `/v1.0/iot-02/building/personnel-cards?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`;
        expect(sentUrl).toBe('/v1.0/iot-02/building/personnel-cards?projectId=1424615984265764&pageSize=2&page=1&name=%E5%BC%A0+%E4%B8%89');
        // The connector hashes JSON.stringify(body) of its GET ("{}", which axios then sends).
        const ours = signTuyaRequest({ clientId, secret, accessToken: 'AT-8a1c', t: '1796486719593', nonce: '', method: 'GET', pathWithQuery: sentUrl, body: '{}' });
        expect({ client_id: ours.client_id, sign: ours.sign, t: ours.t, sign_method: ours.sign_method, access_token: ours.access_token }).toEqual({
          client_id: theirs.client_id,
          sign: theirs.sign,
          t: theirs.t,
          sign_method: theirs.sign_method,
          access_token: theirs.access_token,
        });
      } finally {
        now.mockRestore();
      }
    } finally {
      tuya.server.close();
    }
  });
});
