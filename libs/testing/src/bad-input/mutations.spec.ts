import fc from 'fast-check';
import { badRequests } from './mutations';

describe('badRequests', () => {
  const call = { method: 'POST' as const, path: '/things/:id', params: { id: 'T1' }, validBody: { name: 'a', count: '1' } };
  const sample = fc.sample(badRequests(call), { numRuns: 1500, seed: 7 });
  const labels = sample.map((r) => r.label);

  it.each([
    ['a missing field', /^no (name|count)\b/],
    ['a wrong type', /: (true|false|null|-?\d|\{\}|\[\])/],
    ['an oversized string', /: \d{3,} × /],
    ['deep nesting', /nested \d+ deep/],
    ['a lone surrogate', /lone surrogate/],
    ['NUL', /NUL/],
    ['a huge number', /: (1e400|-1e400|123456789012345678901234567890)/],
    ['an array for a scalar', /in an array/],
    ['unknown fields', /unknown fields/],
    ['a prototype-named field', /field (__proto__|constructor)/],
    ['garbage bytes', /garbage bytes/],
    ['a cut-off body', /cut after/],
    ['a wrong content type', /content-type (text\/plain|application\/xml|none)/],
    ['an odd path parameter', /:id = /],
    ['an odd query', /query \?/],
  ])('breaks requests with %s', (_what, pattern) => {
    expect(labels.some((l) => pattern.test(l))).toBe(true);
  });

  it('sends mostly JSON bodies, so most requests reach validation', () => {
    expect(sample.filter((r) => r.contentType === 'application/json').length / sample.length).toBeGreaterThan(0.7);
  });

  it('writes what JSON.stringify cannot: raw numbers and escapes as text', () => {
    const texts = sample.map((r) => r.body?.toString('utf8') ?? '');
    expect(texts.some((t) => /:1e400[,}]/.test(t))).toBe(true);
    expect(texts.some((t) => t.includes('"\\ud800"'))).toBe(true);
    // A body 3,000 levels deep is built as text, never by recursion.
    expect(texts.some((t) => t.includes('['.repeat(3000)))).toBe(true);
  });
});
