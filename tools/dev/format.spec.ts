import { renderLogLine, Tail, table } from './format';

// Jest's stdout is not a TTY, so no colour codes appear in these strings.
describe('renderLogLine', () => {
  it('renders a pino line compactly, keeping extra fields', () => {
    const line = JSON.stringify({ level: 'info', time: '2026-11-23T18:10:24.773Z', app: 'card-issuance', msg: 'listening', url: 'http://127.0.0.1:3001', n: { a: 1 } });
    expect(renderLogLine(line)).toBe('18:10:24.773 INFO  listening url=http://127.0.0.1:3001 n={"a":1}');
  });
  it('passes anything else through unchanged', () => {
    expect(renderLogLine('    at Object.<anonymous> (main.js:1:1)')).toBe('    at Object.<anonymous> (main.js:1:1)');
    expect(renderLogLine('{not json')).toBe('{not json');
    expect(renderLogLine('{"some":"object"}')).toBe('{"some":"object"}');
  });
});

describe('Tail', () => {
  it('keeps only the last lines', () => {
    const tail = new Tail(2);
    ['a', 'b', 'c'].forEach((l) => tail.push(l));
    expect(tail.text('> ')).toBe('> b\n> c');
    expect(new Tail().text('> ')).toBe('> (no output)');
  });
});

describe('table', () => {
  it('aligns columns', () => {
    expect(table(['app', 'URL'], [['campus-card', 'http://x'], ['tuya', 'http://y']])).toBe('app          URL\ncampus-card  http://x\ntuya         http://y');
  });
});
