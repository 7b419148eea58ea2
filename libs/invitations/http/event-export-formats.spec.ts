import { jsonString } from './event-export-formats';

describe('a string written as JSON for the export', () => {
  it.each([
    ['an id', 'invitation-5f0c6a2e-1d2b-4c1e-9a51-0c6a2e1d2b4c'],
    ['an instant', '2026-12-02T23:05:00.000Z'],
    ['a name with letters beyond ASCII', 'Zoë Ångström-Łukasiewicz 山田'],
    ['a quote', 'say "hi"'],
    ['a backslash', 'C:\\path'],
    ['controls', 'tab\there\nnew line\u0000nul\u001f'],
    ['a surrogate pair (an emoji)', 'smile 😀'],
    ['a lone surrogate', 'broken \ud83d end'],
    ['line and paragraph separators', 'a\u2028b\u2029c'],
    ['an empty string', ''],
  ])('is exactly what JSON.stringify writes: %s', (_, value) => {
    expect(jsonString(value)).toBe(JSON.stringify(value));
  });
});
