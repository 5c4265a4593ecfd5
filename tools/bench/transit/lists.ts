// Whitelist downloads: the full list of every seeded card (time and the service's extra RSS)
// beside Postgres's own `COPY` of the same rows, and an incremental list of 10 changes beside the
// plain SQL that finds them.
import { spawn } from 'node:child_process';
import { fmt, log, peakRss, Report, rssMb, withClient } from '../common';
import { cardNo, Transit } from './fixtures';

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.99) - 1];

export async function fullListFigure(t: Transit, report: Report): Promise<void> {
  const device = t.devices[1];
  const times: number[] = [];
  let extraRss = 0;
  for (let run = 0; run < 3; run++) {
    await new Promise((r) => setTimeout(r, 500));
    const before = rssMb(t.service.pid);
    const peak = peakRss(t.service.pid);
    const body = JSON.stringify({ token: device.token, device_id: device.deviceId, type: 1 });
    const { ms, value: text } = await timed(async () => (await fetch(`${t.service.url}/get_card_list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text());
    extraRss = Math.max(extraRss, peak.stop() - before);
    times.push(ms);
    const answer = JSON.parse(text) as { ret_code: number; version: string; list: unknown[] };
    if (answer.ret_code !== 0 || answer.list.length !== t.cards || answer.version !== String(t.version)) {
      throw new Error(`full list wrong: ret_code ${answer.ret_code}, ${answer.list.length} cards, version ${answer.version}`);
    }
  }
  const copyTimes: number[] = [];
  const sql = `COPY (SELECT card_no, flag FROM "${t.target.schema}".whitelist_card WHERE NOT removed ORDER BY card_no) TO STDOUT`;
  for (let run = 0; run < 3; run++) {
    const psql = () =>
      new Promise<void>((resolve, reject) =>
        spawn('psql', [t.target.databaseUrl, '-X', '-q', '-c', sql], { stdio: ['ignore', 'ignore', 'inherit'] }).once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql exited ${code}`)))),
      );
    copyTimes.push((await timed(psql)).ms);
  }
  log(`full list: ${times.map((ms) => fmt(ms)).join(', ')} ms, peak extra RSS ${fmt(extraRss, 1)} MB; COPY ${copyTimes.map((ms) => fmt(ms)).join(', ')} ms`);
  report.add({
    figure: `full list, ${fmt(t.cards)} cards`,
    service: `${fmt(median(times) / 1000, 2)} s median, +${fmt(extraRss)} MB RSS`,
    baseline: `\`COPY TO STDOUT\` ${fmt(median(copyTimes) / 1000, 2)} s median`,
    target: '< 2 s, < 200 MB extra RSS',
    ok: median(times) < 2000 && extraRss < 200,
  });
}

export async function incrementalFigure(t: Transit, report: Report): Promise<void> {
  const device = t.devices[2];
  device.versionAll = String(t.version);
  device.versionAdd = String(t.version);
  await device.call('/location_report', device.heartbeatBody());
  // Cards the seed never gives: every one a real change.
  for (let i = 0; i < 10; i++) await t.admin.call('POST', '/admin/cards', { card_no: cardNo(100 + i * 1000), flag: i % 2, line_ids: ['L2'] });
  const times: number[] = [];
  for (let run = 0; run < 30; run++) {
    const { ms, value } = await timed(() => device.call('/get_card_list', { type: 2 }));
    if (value.ret_code !== 0 || (value.list as unknown[]).length !== 10) throw new Error(`incremental list wrong: ${JSON.stringify(value).slice(0, 300)}`);
    times.push(ms);
  }
  const sqlTimes: number[] = [];
  await withClient(t.target.schemaUrl, async (client) => {
    const sql = `SELECT card_no, CASE WHEN removed THEN 0 ELSE flag END AS flag FROM whitelist_card WHERE version > $1 ORDER BY version, card_no`;
    for (let run = 0; run < 30; run++) sqlTimes.push((await timed(() => client.query(sql, [t.version]))).ms);
  });
  log(`incremental list: median ${fmt(median(times), 1)} ms, p99 ${fmt(p99(times), 1)} ms; SQL median ${fmt(median(sqlTimes), 2)} ms`);
  report.add({
    figure: 'incremental list, 10 changes',
    service: `${fmt(median(times), 1)} ms median, ${fmt(p99(times), 1)} ms p99 (HTTP round trip)`,
    baseline: `plain SQL ${fmt(median(sqlTimes), 2)} ms median`,
    target: '< 20 ms',
    ok: p99(times) < 20,
  });
}
