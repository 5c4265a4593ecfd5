import type { FastifyRequest } from 'fastify';
import { reqIdInText, ValidatorEnvelope } from './validator-envelope';

const request = (body: unknown) => ({ body, query: {} }) as unknown as FastifyRequest;

describe('ValidatorEnvelope.success', () => {
  const envelope = new ValidatorEnvelope();

  it('puts req_id, enterprise_id, ret_code and ret_msg first, in the order of the document', () => {
    const { status, body } = envelope.success({ server_time: '261129120000', enterprise_id: '398', version_code: '1' }, request({ req_id: 'h1' }));
    expect(status).toBe(200);
    expect(JSON.stringify(body)).toBe('{"req_id":"h1","enterprise_id":"398","ret_code":0,"ret_msg":"成功","server_time":"261129120000","version_code":"1"}');
  });

  it("lets an answer's own ret_code and ret_msg stand, in their place", () => {
    const { body } = envelope.success({ ret_code: 2002, sound_no: 2, ret_msg: 'frozen' }, request({ req_id: 7 }));
    expect(JSON.stringify(body)).toBe('{"req_id":"7","ret_code":2002,"ret_msg":"frozen","sound_no":2}');
  });

  it('answers a call without a result or req_id with the head alone', () => {
    expect(envelope.success(undefined, request(undefined)).body).toEqual({ req_id: undefined, ret_code: 0, ret_msg: '成功' });
  });
});

describe('reqIdInText', () => {
  it('finds a string or numeric req_id in JSON text that does not parse, escapes included', () => {
    expect(reqIdInText('{"req_id":"hb-1","token":')).toBe('hb-1');
    expect(reqIdInText('{ "req_id" : 42, oops')).toBe('42');
    expect(reqIdInText('{"req_id":"a\\"b\\u4e2d", oops')).toBe('a"b中');
    expect(reqIdInText('{"req_id":"心跳"')).toBe('心跳');
  });

  it('finds nothing where there is no well-formed req_id', () => {
    for (const text of ['', 'device_id=1', '{"req_id":', '{"req_id":"unterminated', '{"req_id":true}', `{"req_id":"${'x'.repeat(129)}"}`, '{"req_id":"\\x"}']) {
      expect([text, reqIdInText(text)]).toEqual([text, undefined]);
    }
  });
});
