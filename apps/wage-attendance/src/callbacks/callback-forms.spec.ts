import { addPersonForm, deleteDeviceForm, deletePersonForm, encodeForm, identifyForm } from './callback-forms';

const zone = 'Asia/Shanghai';
// 2018-11-28 03:06:23 in Shanghai.
const at = new Date('2018-11-27T19:06:23Z');

describe('callback forms', () => {
  it('carries exactly the document fields of deleteDevice, addPerson and deletePerson, in its order', () => {
    expect(Object.entries(deleteDeviceForm('84E0F420013300B4', at, zone))).toEqual([
      ['sn', '84E0F420013300B4'],
      ['operationTime', '2018-11-28 03:06:23'],
    ]);
    expect(Object.keys(addPersonForm('D1', at, 'P1', 'F1', zone))).toEqual(['deviceKey', 'confirmTime', 'personGuid', 'faceGuid']);
    expect(addPersonForm('D1', at, 'P1', '', zone)).toEqual({ deviceKey: 'D1', confirmTime: '2018-11-28 03:06:23', personGuid: 'P1', faceGuid: '' });
    expect(deletePersonForm('D1', at, 'P1', zone)).toEqual({ deviceKey: 'D1', confirmTime: '2018-11-28 03:06:23', personGuid: 'P1' });
  });

  it('reports a recognition with sn, operationTime and the record’s fields as text; idCardInfo only when present', () => {
    const record = {
      guid: '1DE2C0E055434505BE36A1B494FEE1D9', deviceKey: '84E0F420013300B4', personGuid: 'STRANGERBABY', photoUrl: 'http://x/a.jpg',
      showTimeMs: at.getTime(), type: 1, recMode: 1, cardNo: '888', recType: 1, personName: '仁孚行', passTimeType: 3, deviceType: '2',
      permissionTimeType: 3, recModeType: '2',
    };
    const form = identifyForm(record, zone);
    expect(Object.keys(form)).toEqual([
      'sn', 'operationTime', 'guid', 'deviceKey', 'personGuid', 'photoUrl', 'showTime', 'type', 'recMode', 'cardNo', 'recType',
      'personName', 'passTimeType', 'deviceType', 'permissionTimeType', 'recModeType',
    ]);
    expect(form).toMatchObject({ sn: '84E0F420013300B4', operationTime: '2018-11-28 03:06:23', showTime: String(at.getTime()), type: '1', passTimeType: '3', recModeType: '2' });
    const withCard = identifyForm({ ...record, idCardInfo: { name: '仁孚行', compareResult: false, id: 0 } }, zone);
    expect(withCard.idCardInfo).toBe('{"name":"仁孚行","compareResult":false,"id":0}');
  });

  it('encodes as application/x-www-form-urlencoded, UTF-8, fields in order', () => {
    expect(encodeForm({ sn: 'D 1', personName: '仁', x: 'a&b=c' })).toBe('sn=D+1&personName=%E4%BB%81&x=a%26b%3Dc');
  });
});
