import { createDecipheriv } from 'node:crypto';
import { FakeCard, FakePerson, PersonnelStore } from './personnel-store';

/** A Tuya business answer: `result`, or Tuya's code and message. */
export type TuyaOutcome = { result: unknown } | { code: number; msg: string };

const BASE = '/v1.0/iot-02/building/personnel-cards';
const param = (msg: string): TuyaOutcome => ({ code: 1109, msg: `param is illegal: ${msg}` });

/** A parameter by the document's camelCase name or its snake_case form. */
function read(params: Record<string, unknown>, name: string): unknown {
  return params[name] ?? params[name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
}

function text(params: Record<string, unknown>, name: string): string | undefined {
  const value = read(params, name);
  return value === undefined || value === '' ? undefined : String(value);
}

function int(params: Record<string, unknown>, name: string): number | undefined | 'bad' {
  const value = text(params, name);
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : 'bad';
}

/** Tuya's gateway answers in snake_case, as the document's examples show. */
function personAnswer(store: PersonnelStore, projectId: string, p: FakePerson) {
  return {
    person_id: p.personId, name: p.name, enabled: p.enabled, sex: p.sex, sex_str: p.sexStr, cert_area: p.certArea, mobile_country: p.mobileCountry,
    mobile: p.mobile, image_path: p.imagePath, structure_ids: p.structureIds, structure_names: p.structureNames,
    hold_card_num: store.cardsOf(projectId, p.personId).length, contain_password: p.containPassword,
  };
}

function cardAnswer(projectId: string, p: FakePerson, c: FakeCard) {
  return {
    activation_time: c.activationTime, bind_face: c.bindFace, card_no: c.cardNo, card_status: c.cardStatus, card_type: c.cardType,
    contain_password: p.containPassword, person_card_id: c.personCardId, person_id: c.personId, project_id: projectId,
    ...(c.reportLostTime !== undefined ? { report_lost_time: c.reportLostTime } : {}),
    ...(c.cancelReportLostTime !== undefined ? { cancel_report_lost_time: c.cancelReportLostTime } : {}),
  };
}

/** The password cipher the bridge assumes (AES-128-ECB, key = the secret's first 16 bytes, hex). */
function decryptPassword(hex: string, secret: string): string | undefined {
  try {
    if (!/^([0-9A-Fa-f]{32})+$/.test(hex)) return undefined;
    const decipher = createDecipheriv('aes-128-ecb', Buffer.from(secret, 'utf8').subarray(0, 16), null);
    return Buffer.concat([decipher.update(Buffer.from(hex, 'hex')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** The document's four calls over the fake's store; undefined for a path it does not serve. */
export class PersonnelApi {
  constructor(
    private readonly store: PersonnelStore,
    private readonly secret: string,
    private readonly maxPageSize: number,
  ) {}

  handle(method: string, path: string, query: Record<string, string>, body: Record<string, unknown>): TuyaOutcome | undefined {
    if (method === 'GET' && path === BASE) return this.list(query);
    if (method === 'GET' && path === `${BASE}/actions/hold-cards`) return this.holdCards(query);
    if (method === 'GET' && path === `${BASE}/actions/personnel-detail`) return this.detail(query);
    if (method === 'PUT' && path === `${BASE}/actions/edit-password`) return this.editPassword(body);
    return undefined;
  }

  private project(params: Record<string, unknown>): string | TuyaOutcome {
    const projectId = text(params, 'projectId');
    if (!projectId) return { code: 1100, msg: 'param is empty: projectId' };
    if (!this.store.has(projectId)) return { code: 1106, msg: 'permission deny' };
    return projectId;
  }

  private list(q: Record<string, string>): TuyaOutcome {
    const projectId = this.project(q);
    if (typeof projectId !== 'string') return projectId;
    const page = int(q, 'page') ?? 1;
    const pageSize = int(q, 'pageSize') ?? 20;
    const enabled = int(q, 'enabled') ?? 1;
    if (page === 'bad' || page < 1) return param('page');
    if (pageSize === 'bad' || pageSize < 1) return param('pageSize');
    if (enabled !== 1 && enabled !== 2) return param('enabled');
    const name = text(q, 'name');
    const personId = text(q, 'personId');
    const matching = this.store.persons(projectId).filter((p) => p.enabled === enabled && (!name || p.name.includes(name)) && (!personId || p.personId === personId));
    const size = Math.min(pageSize, this.maxPageSize);
    const list = matching.slice((page - 1) * size, page * size).map((p) => personAnswer(this.store, projectId, p));
    return { result: { list, total: matching.length } };
  }

  private holdCards(q: Record<string, string>): TuyaOutcome {
    const projectId = this.project(q);
    if (typeof projectId !== 'string') return projectId;
    const personId = text(q, 'personId');
    if (!personId) return { code: 1100, msg: 'param is empty: personId' };
    const person = this.store.person(projectId, personId);
    if (!person) return { code: 1000, msg: 'data not exist' };
    const cardNo = text(q, 'cardNo');
    const status = int(q, 'cardStatus');
    if (status === 'bad' || (status !== undefined && status !== 1 && status !== 2)) return param('cardStatus');
    const cards = this.store.cardsOf(projectId, personId).filter((c) => (!cardNo || c.cardNo === cardNo) && (!status || c.cardStatus === status));
    return {
      result: {
        all_num: cards.length,
        card_list: cards.map((c) => cardAnswer(projectId, person, c)),
        freeze_num: cards.filter((c) => c.cardStatus === 2).length,
        normal_num: cards.filter((c) => c.cardStatus === 1).length,
      },
    };
  }

  private detail(q: Record<string, string>): TuyaOutcome {
    const projectId = this.project(q);
    if (typeof projectId !== 'string') return projectId;
    const person = this.store.person(projectId, text(q, 'personId') ?? '');
    if (!person) return { code: 1000, msg: 'data not exist' };
    return {
      result: {
        person_id: person.personId, name: person.name, mobile_country: person.mobileCountry, mobile: person.mobile,
        image_url: `https://images.tuya.invalid/${person.imagePath}?sign=fake`, image_path: person.imagePath, structure_names: person.structureNames,
        contain_password: person.containPassword,
      },
    };
  }

  private editPassword(body: Record<string, unknown>): TuyaOutcome {
    const projectId = this.project(body);
    if (typeof projectId !== 'string') return projectId;
    const person = this.store.person(projectId, text(body, 'personId') ?? '');
    if (!person) return { code: 1000, msg: 'data not exist' };
    const clear = read(body, 'clearPassword');
    if (typeof clear !== 'boolean') return param('clearPassword');
    if (clear) {
      this.store.putPerson(projectId, person.personId, { containPassword: 0 });
      return { result: true };
    }
    const password = decryptPassword(String(read(body, 'encryptPassword') ?? ''), this.secret);
    if (password === undefined || !/^\d{4,12}$/.test(password)) return param('encryptPassword');
    this.store.putPerson(projectId, person.personId, { containPassword: 1 });
    return { result: true };
  }
}
