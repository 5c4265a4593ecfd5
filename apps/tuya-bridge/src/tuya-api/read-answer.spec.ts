import { TuyaHoldCards, TuyaPersonnelDetail, TuyaPersonPage } from './dto/tuya-answers.dto';
import { camelCaseKeys, readAnswer } from './read-answer';
import { TuyaMalformedAnswer } from './tuya-api.errors';

/** The document's own response examples, as Tuya's gateway sends them (snake_case). */
const LIST_EXAMPLE = {
  list: [
    {
      cert_area: 'CN',
      contain_password: 0,
      enabled: 1,
      hold_card_num: 2,
      image_path: 'saas/building/building_faceImg/1663644590a79c781cde7.jpg',
      mobile: '421****1242',
      mobile_country: '+86',
      name: '13541',
      person_id: '1572065489755312***',
      sex: 1,
      sex_str: '男',
      structure_ids: ['1439128101413011***'],
      structure_names: ['根组织66678'],
    },
  ],
  total: 103,
};

const HOLD_CARDS_EXAMPLE = {
  all_num: 2,
  card_list: [
    {
      activation_time: 1662544806542,
      bind_face: 1,
      cancel_report_lost_time: 1662546245334,
      card_no: '45454567',
      card_status: 1,
      card_type: 1,
      contain_password: 1,
      person_card_id: '1567452642714648***',
      person_id: '1567428253323362***',
      project_id: '1424615984265764***',
      report_lost_time: 1662546168253,
    },
    {
      activation_time: 1662542164834,
      bind_face: 0,
      card_no: '232232232',
      card_status: 2,
      card_type: 1,
      contain_password: 1,
      person_card_id: '1567441562588217***',
      person_id: '1567428253323362***',
      project_id: '1424615984265764***',
      report_lost_time: 1662544087744,
    },
  ],
  freeze_num: 1,
  normal_num: 1,
};

describe('reading Tuya answers in either case', () => {
  it('turns snake_case keys into camelCase at every depth, camelCase winning a tie', () => {
    expect(camelCaseKeys({ person_id: 'a', list: [{ card_no: '1', cardNo_x: 2 }], personId: 'b' })).toEqual({ personId: 'b', list: [{ cardNo: '1', cardNoX: 2 }] });
  });

  it('reads the list example (snake_case) and the same list in the tables\' camelCase alike', () => {
    const fromSnake = readAnswer(TuyaPersonPage, LIST_EXAMPLE, 'list');
    const fromCamel = readAnswer(TuyaPersonPage, camelCaseKeys(LIST_EXAMPLE), 'list');
    expect(fromCamel).toEqual(fromSnake);
    expect(fromSnake.total).toBe(103);
    expect(fromSnake.list?.[0]).toEqual({
      personId: '1572065489755312***',
      name: '13541',
      enabled: 1,
      sex: 1,
      sexStr: '男',
      certArea: 'CN',
      mobileCountry: '+86',
      mobile: '421****1242',
      imagePath: 'saas/building/building_faceImg/1663644590a79c781cde7.jpg',
      structureIds: ['1439128101413011***'],
      structureNames: ['根组织66678'],
      holdCardNum: 2,
      containPassword: 0,
    });
  });

  it('reads the hold-cards example, numbers given as strings and ids as safe integers included', () => {
    const cards = readAnswer(TuyaHoldCards, HOLD_CARDS_EXAMPLE, 'hold-cards');
    expect(cards).toMatchObject({ allNum: 2, freezeNum: 1, normalNum: 1 });
    expect(cards.cardList?.map((c) => [c.personCardId, c.cardNo, c.cardStatus, c.reportLostTime])).toEqual([
      ['1567452642714648***', '45454567', 1, 1662546168253],
      ['1567441562588217***', '232232232', 2, 1662544087744],
    ]);
    const loose = readAnswer(TuyaHoldCards, { cardList: [{ personCardId: 77, cardNo: 45454567, cardStatus: '2', activationTime: '1662544806542' }] }, 'hold-cards');
    expect(loose.cardList?.[0]).toEqual({ personCardId: '77', cardNo: '45454567', cardStatus: 2, activationTime: 1662544806542 });
    expect(readAnswer(TuyaHoldCards, { all_num: 0 }, 'hold-cards').cardList).toBeUndefined();
  });

  it('reads personnel-detail, whose example gives structureNames as one string', () => {
    const detail = readAnswer(TuyaPersonnelDetail, { person_id: 'p1', name: 'A', structure_names: '根组织', image_url: 'https://x/y.jpg' }, 'detail');
    expect(detail).toEqual({ personId: 'p1', name: 'A', structureNames: ['根组织'], imageUrl: 'https://x/y.jpg' });
  });

  it('refuses what it cannot work with, naming the field', () => {
    const bad: Array<[object, string]> = [
      [{ total: 1, list: [{ name: 'no id' }] }, 'list.0.personId'],
      [{ list: [] }, 'total'],
      [{ total: 1, list: [{ person_id: 'p', enabled: 3 }] }, 'list.0.enabled'],
      [{ total: 1, list: [{ person_id: 2 ** 60 }] }, 'list.0.personId'],
      [{ total: 1, list: 'x' }, 'list'],
    ];
    for (const [result, field] of bad) {
      expect(() => readAnswer(TuyaPersonPage, result, 'list')).toThrow(TuyaMalformedAnswer);
      expect(() => readAnswer(TuyaPersonPage, result, 'list')).toThrow(field);
    }
    expect(() => readAnswer(TuyaHoldCards, { card_list: [{ person_card_id: 'c', card_no: '1', card_status: 3 }] }, 'hold-cards')).toThrow('cardList.0.cardStatus');
    expect(() => readAnswer(TuyaPersonPage, [], 'list')).toThrow('result is not an object');
  });
});
