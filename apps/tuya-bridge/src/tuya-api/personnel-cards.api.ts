import { Injectable } from '@nestjs/common';
import { TuyaHoldCards, TuyaPersonnelDetail, TuyaPersonPage } from './dto/tuya-answers.dto';
import { readAnswer } from './read-answer';
import { TuyaMalformedAnswer, TuyaRefused } from './tuya-api.errors';
import { TuyaClient } from './tuya-client';

/** The document's paths. */
export const PERSONNEL_CARDS = '/v1.0/iot-02/building/personnel-cards';
export const HOLD_CARDS = `${PERSONNEL_CARDS}/actions/hold-cards`;
export const PERSONNEL_DETAIL = `${PERSONNEL_CARDS}/actions/personnel-detail`;
export const EDIT_PASSWORD = `${PERSONNEL_CARDS}/actions/edit-password`;

/** Tuya's "data not exist". */
const DATA_NOT_EXIST = 1000;

export interface ListPersonsQuery {
  projectId: string;
  page: number;
  pageSize: number;
  /** 1 enabled (Tuya's default), 2 disabled. */
  enabled: 1 | 2;
}

export interface EditPasswordBody {
  projectId: string;
  personId: string;
  clearPassword: boolean;
  /** Already encrypted (card-password-cipher.ts); empty when clearing. */
  encryptPassword: string;
}

/**
 * The personnel-card document's four calls, with typed results. GET parameters travel in the
 * query string under the document's (camelCase) names; Tuya's GET calls take no body although
 * the document says "body".
 */
@Injectable()
export class PersonnelCardsApi {
  constructor(private readonly tuya: TuyaClient) {}

  async listPersons(query: ListPersonsQuery): Promise<TuyaPersonPage> {
    const name = 'GET personnel-cards';
    return readAnswer(TuyaPersonPage, await this.tuya.call({ method: 'GET', path: PERSONNEL_CARDS, query: { ...query }, name }), name);
  }

  async holdCards(query: { projectId: string; personId: string; cardNo?: string; cardStatus?: 1 | 2 }): Promise<TuyaHoldCards> {
    const name = 'GET hold-cards';
    return readAnswer(TuyaHoldCards, await this.tuya.call({ method: 'GET', path: HOLD_CARDS, query: { ...query }, name }), name);
  }

  /** The person, or undefined when Tuya says it does not exist. */
  async personnelDetail(query: { projectId: string; personId: string }): Promise<TuyaPersonnelDetail | undefined> {
    const name = 'GET personnel-detail';
    try {
      const result = await this.tuya.call({ method: 'GET', path: PERSONNEL_DETAIL, query: { ...query }, name });
      return result === null || result === undefined ? undefined : readAnswer(TuyaPersonnelDetail, result, name);
    } catch (error) {
      if (error instanceof TuyaRefused && error.tuyaCode === DATA_NOT_EXIST) return undefined;
      throw error;
    }
  }

  async editPassword(body: EditPasswordBody): Promise<boolean> {
    const name = 'PUT edit-password';
    const result = await this.tuya.call({ method: 'PUT', path: EDIT_PASSWORD, json: body, name });
    if (typeof result !== 'boolean') throw new TuyaMalformedAnswer(`${name}: result is not a boolean`);
    return result;
  }
}
