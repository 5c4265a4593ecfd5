import { Events } from '@onecard/contracts';
import { eventually, TestBus } from '@onecard/testing';
import type { Page } from 'playwright-core';
import { loadTestSupport } from './load-app';
import { closeAll, RunningApp, startApp } from './support/apps';
import { HeadlessBrowser, launchChromium } from './support/browser';
import { CONSOLE_TOKEN, deadUrl, LiveStream, RunningConsole, startConsole } from './support/console';
import { busValidator } from './support/devices';

type IssuanceFixtures = typeof import('../../apps/card-issuance/test/support/fixtures');

const WIRE_TIME = String.raw`\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}`;

/**
 * The operator console's page (index.html, console.js) in a headless Chromium, over the console
 * and two real apps (transit-validation, card-issuance) on the real Postgres and NATS;
 * wage-attendance, campus-card and tuya-bridge are not running. What is asserted is what the
 * operator reads in the DOM.
 */
describe('operator-console page: login, map, stock, unavailable apps and live events in a browser', () => {
  let bus: TestBus;
  let transit: RunningApp;
  let issuance: RunningApp;
  let console_: RunningConsole;
  let browser: HeadlessBrowser;
  let page: Page;
  let machineNo: string;
  const textOf = (selector: string) => page.locator(selector).textContent();

  beforeAll(async () => {
    bus = await TestBus.create();
    [transit, issuance, browser] = await Promise.all([startApp('transit', bus), startApp('issuance', bus), launchChromium()]);
    const nowhere = await deadUrl();
    console_ = await startConsole(bus, {
      CONSOLE_TRANSIT_VALIDATION_URL: transit.url,
      CONSOLE_CARD_ISSUANCE_URL: issuance.url,
      CONSOLE_WAGE_ATTENDANCE_URL: nowhere,
      CONSOLE_CAMPUS_CARD_URL: nowhere,
      CONSOLE_TUYA_BRIDGE_URL: nowhere,
    });

    // A validator heartbeating with its position, a kiosk short of cards.
    const validator = await busValidator(transit, 'BUS-PAGE-1');
    expect((await validator.device.heartbeat()).body.ret_code).toBe(0);
    const { createMachine } = loadTestSupport<IssuanceFixtures>('card-issuance', 'support/fixtures.ts');
    const kiosk = await createMachine(issuance, 'P1');
    machineNo = kiosk.machineNo;
    expect((await kiosk.saveMachine({ cardCount: '5', inkCount: '80%', cardRopeCover: '50' })).body.code).toBe(0);
    await eventually(async () => (await transit.admin('GET', '/admin/devices/BUS-PAGE-1')).body.online === true);

    // The live feed is one per console: once it reads, an event published reaches every page.
    const live = await LiveStream.open(console_.url);
    await live.until((frame) => frame === ': ready').finally(() => live.close());
    page = await browser.context.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await console_?.close();
    await closeAll(transit, issuance);
    await bus?.close();
  });

  it('sends the browser to the login form, refuses a wrong token there and lets CONSOLE_TOKEN in', async () => {
    await page.goto(`${console_.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.locator('#failed').isHidden()).toBe(true);

    await page.fill('input[name=token]', 'not-the-console-token');
    await Promise.all([page.waitForURL(`${console_.url}/login?failed=1`), page.click('button[type=submit]')]);
    expect(await page.locator('#failed').isVisible()).toBe(true);
    expect(await textOf('#failed')).toBe("That token is not the console's.");

    await page.fill('input[name=token]', CONSOLE_TOKEN);
    await Promise.all([page.waitForURL(`${console_.url}/`), page.click('button[type=submit]')]);
    expect(await page.title()).toBe('OneCard operator console');
    expect(await page.locator('svg#map').count()).toBe(1);
  });

  it('plots the validator on the map by its position, labelled with its id', async () => {
    const point = page.locator('#map circle');
    await point.waitFor({ timeout: 10_000 });
    expect(await point.count()).toBe(1);
    // The only placed device sits at the fitted box's padding: 20 + 0.01° × 18000 px/°.
    const [cx, cy, state] = await point.evaluate((c) => ['cx', 'cy', 'class'].map((a) => c.getAttribute(a)));
    expect([Number(cx).toFixed(3), Number(cy).toFixed(3), state]).toEqual(['200.000', '200.000', 'online']);
    expect(await textOf('#map circle title')).toMatch(new RegExp(`^validator BUS-PAGE-1 \\(line L1\\): online, last seen ${WIRE_TIME}, 114\\.057868, 22\\.543099$`));
    expect(await textOf('#map text')).toBe('BUS-PAGE-1');
    // The kiosk has no position: in the fleet table only.
    const fleetIds = await page.locator('#fleet tbody tr td:nth-child(3)').allTextContents();
    expect(fleetIds).toEqual(['BUS-PAGE-1', machineNo]);
  });

  it('lists the kiosk in the stock table, its cards flagged low', async () => {
    const row = page.locator('#stock tbody tr');
    await row.first().waitFor({ timeout: 10_000 });
    expect(await row.count()).toBe(1);
    const cells = await row.locator('td').evaluateAll((tds) => tds.map((td) => [td.textContent, td.className]));
    expect(cells.slice(0, 7)).toEqual([
      [machineNo, ''],
      ['P1', ''],
      ['1 Test Road', ''],
      ['online', ''],
      ['5 (below 20: yes)', 'low'],
      ['80% (below 20: no)', ''],
      ['50 (below 20: no)', ''],
    ]);
    expect(cells[7][0]).toMatch(new RegExp(`^${WIRE_TIME}$`));
  });

  it('names the apps that are down in the unavailable banner, and only those', async () => {
    const banner = page.locator('#sources');
    // Each view reports its own sources as it loads: the banner fills as they come in.
    await page.locator('#sources', { hasText: /^unavailable: [^;]+; [^;]+; [^;]+$/ }).waitFor({ timeout: 10_000 });
    expect(await banner.getAttribute('class')).toBe('down');
    const text = (await banner.textContent())!;
    expect(text.startsWith('unavailable: ')).toBe(true);
    expect(text.slice('unavailable: '.length).split('; ').sort()).toEqual(['campus-card did not answer', 'tuya-bridge did not answer', 'wage-attendance did not answer']);
  });

  it('shows a device.status-changed in the live feed when the validator is disabled, and redraws the fleet', async () => {
    await page.locator('#live-state', { hasText: /^connected$/ }).waitFor({ timeout: 10_000 });
    // Other events may come too (the validator's and the kiosk's presence, the kiosk's low stock): pick the disable's.
    const disabled = page.locator('#live li', { hasText: 'BUS-PAGE-1 disabled' });
    expect(await disabled.count()).toBe(0);
    expect((await transit.admin('POST', '/admin/devices/BUS-PAGE-1/disable')).body.ret_code).toBe(0);

    await disabled.first().waitFor({ timeout: 10_000 });
    expect(await disabled.count()).toBe(1);
    expect(await disabled.textContent()).toMatch(new RegExp(`^\\S.* ${Events.DeviceStatusChanged.replace(/\./g, '\\.')} BUS-PAGE-1 disabled$`));
    // The event redraws the fleet and stock views: the validator's status follows (sooner than the 5 s poll, mostly).
    await page.locator('#fleet tbody tr', { hasText: 'BUS-PAGE-1' }).locator('td:nth-child(6)', { hasText: /^disabled$/ }).waitFor({ timeout: 4_000 });
  });
});
