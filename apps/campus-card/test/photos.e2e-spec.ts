import { startTestApp, TestApp } from '@onecard/testing';
import { campusCardApp } from '../src/app.definition';
import { call, campusEnv, createClient, createUser, failure, getWithFormBody, openCard, SUCCESS, TestClient, TestUser, userToken } from './support/campus';
import { jpegOf, pngOf } from './support/images';

describe('campus-card: photos', () => {
  let app: TestApp;
  let client: TestClient;
  let manager: string;

  beforeAll(async () => {
    app = await startTestApp(campusCardApp, { env: campusEnv({ PUBLIC_BASE_URL: '', PHOTO_MAX_BYTES: '4096' }) });
    client = await createClient(app);
    manager = await userToken(app, client, await createUser(app), ['manage_card']);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function cardholder(withPhoto: boolean): Promise<{ user: TestUser; token: string; cardNo: string }> {
    const user = await createUser(app);
    const cardNo = await openCard(app, manager, user.userCode, { free: true });
    if (withPhoto) expect((await app.admin('PUT', `/admin/users/${user.userCode}/photo`, { photo: jpegOf(358, 441).toString('base64') })).body.errno).toBe(0);
    return { user, token: await userToken(app, client, user, ['privacy', 'write_card_info']), cardNo };
  }

  it('获取校园卡照片: base64 and format, or only the url; cardNo left out when asked by userCode', async () => {
    const { user, token, cardNo } = await cardholder(true);
    const photo = jpegOf(358, 441);
    const byCard = await call(app, 'GET', '/v1/me/card/photo', token, { cardNo });
    expect(byCard.body).toEqual({
      errno: 0,
      error: 'success',
      total: 1,
      entities: [{ cardNo, userId: user.userCode, url: expect.stringMatching(new RegExp(`^${app.url}/v1/photo-files/`)), format: 'jpg', photo: photo.toString('base64') }],
    });
    // As the document's example sends it: GET with the parameters in a form body.
    const asDocumented = await getWithFormBody(app, `/v1/me/card/photo?access_token=${token}`, `cardNo=${cardNo}`);
    expect(asDocumented.body.entities).toEqual([expect.objectContaining({ cardNo, userId: user.userCode, format: 'jpg' })]);
    const byUser = await call(app, 'GET', '/v1/me/card/photo', token, { userCode: user.userCode, cardNo: 'ignored', urlOnly: true });
    expect(byUser.body.entities).toEqual([{ userId: user.userCode, url: expect.any(String) }]);

    // The url serves the image without a token, until the photo changes.
    const image = await fetch(byUser.body.entities[0].url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(photo);
    const tampered = byUser.body.entities[0].url.replace(/sign=[0-9a-f]{4}/, 'sign=0000');
    failure(await app.http('GET', tampered.slice(app.url.length)), 403, 'sign: link invalid or expired');
  });

  it('refuses another user’s photo and asks for userCode or cardNo', async () => {
    const { token } = await cardholder(true);
    const other = await cardholder(true);
    failure(await call(app, 'GET', '/v1/me/card/photo', token, { userCode: other.user.userCode }), 403, "userCode: not the token's user");
    failure(await call(app, 'GET', '/v1/me/card/photo', token, { cardNo: other.cardNo }), 404, `cardNo: no card ${other.cardNo}`);
    failure(await call(app, 'GET', '/v1/me/card/photo', token), 400, 'userCode is required');
    failure(await call(app, 'GET', '/v1/me/card/photo', token, { cardNo: other.cardNo, urlOnly: 'sure' }), 400, 'urlOnly must be true or false');
    const noPhoto = await cardholder(false);
    failure(await call(app, 'GET', '/v1/me/card/photo', noPhoto.token, { cardNo: noPhoto.cardNo }), 404, 'cardNo: no photo on file');
    const noScope = await userToken(app, client, other.user, ['card_info']);
    failure(await call(app, 'GET', '/v1/me/card/photo', noScope, { cardNo: other.cardNo }), 403, 'access_token: scope privacy required');
  });

  it('更新校园卡照片: over an original only, after the review; the document’s refusals, errno 422', async () => {
    const { user, token, cardNo } = await cardholder(true);
    const update = (photo: string) => call(app, 'POST', '/v1/me/card/photo', token, { cardNo, photo });
    const landscape = jpegOf(441, 358).toString('base64');
    failure(await update(landscape), 422, '照片审核未通过');
    const portrait = pngOf(299, 382);
    // A + the caller forgot to percent-encode arrives as a space: still the same image.
    expect(portrait.toString('base64')).toContain('+');
    expect((await app.http('POST', `/v1/me/card/photo?access_token=${token}`, `cardNo=${cardNo}&photo=${portrait.toString('base64')}`, { 'content-type': 'application/x-www-form-urlencoded' })).body).toEqual(SUCCESS);
    const shown = await call(app, 'GET', '/v1/me/card/photo', token, { userCode: user.userCode });
    expect(shown.body.entities[0]).toMatchObject({ format: 'png', photo: portrait.toString('base64') });

    const noOriginal = await cardholder(false);
    failure(await call(app, 'POST', '/v1/me/card/photo', noOriginal.token, { cardNo: noOriginal.cardNo, photo: portrait.toString('base64') }), 422, '原照片缺失,无法更新');
    const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM user_photo WHERE user_code = $1`, [noOriginal.user.userCode]);
    expect(n).toBe(0);
  });

  it('refuses what is not a photo, naming the field, keeping the original', async () => {
    const { user, token, cardNo } = await cardholder(true);
    const update = (params: Record<string, string>) => call(app, 'POST', '/v1/me/card/photo', token, params);
    failure(await update({ cardNo }), 400, 'photo is required');
    failure(await update({ photo: 'AAAA' }), 400, 'cardNo is required');
    failure(await update({ cardNo, photo: 'not base64!' }), 400, 'photo: must be base64');
    failure(await update({ cardNo, photo: Buffer.from('GIF89a').toString('base64') }), 400, 'photo: not a JPEG or PNG image');
    failure(await update({ cardNo, photo: Buffer.concat([jpegOf(358, 441), Buffer.alloc(5000)]).toString('base64') }), 400, 'photo: larger than 4096 bytes');
    const [row] = await app.db.query(`SELECT format, version FROM user_photo WHERE user_code = $1`, [user.userCode]);
    expect(row).toEqual({ format: 'jpg', version: 1 });
    failure(await app.admin('PUT', `/admin/users/NOBODY/photo`, { photo: jpegOf(10, 10).toString('base64') }), 404, 'userCode: no user NOBODY');
    failure(await app.admin('PUT', `/admin/users/${user.userCode}/photo`, { photo: jpegOf(10, 10).toString('base64'), format: 'png' }), 400, 'format: the image is jpg, not png');
  });
});
