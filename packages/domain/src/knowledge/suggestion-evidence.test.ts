import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsKeyword, scoreSuggestion, type EvidenceHints, type EvidenceSubject } from './suggestion-evidence';

const crashLoop: EvidenceSubject = {
  serviceId: 'k8s',
  serviceName: 'Kubernetes Platform',
  categoryId: 'compute',
  categoryName: 'Compute',
  categoryParentId: 'infra',
  title: 'Pods in CrashLoopBackOff after node pool upgrade',
  description: 'Several workloads crash-looping on the new node pool; OOMKilled with the new runtime.',
};
const none: EvidenceHints = { serviceId: null, categoryId: null, keywords: [] };

describe('scoreSuggestion', () => {
  it.each<[string, EvidenceHints, number, string | null, string[]]>([
    [
      'shares only the service: never offered',
      { ...none, serviceId: 'k8s', categoryId: 'storage', keywords: ['disk full', 'wal', 'no space left'] },
      15,
      null,
      ['same service: Kubernetes Platform'],
    ],
    [
      'symptom words in title and description, same category',
      { ...none, categoryId: 'compute', keywords: ['CrashLoopBackOff', 'oomkilled'] },
      60 + 25, // 35 + 30 for the keywords, capped at 60
      'STRONG',
      ['title mentions "crashloopbackoff"', 'description mentions "oomkilled"', 'same category: Compute'],
    ],
    ['one title keyword: possible', { ...none, keywords: ['crashloopbackoff'] }, 35, 'POSSIBLE', ['title mentions "crashloopbackoff"']],
    ['one description keyword: possible', { ...none, keywords: ['oomkilled'] }, 30, 'POSSIBLE', ['description mentions "oomkilled"']],
    ['the category alone: too weak', { ...none, categoryId: 'compute' }, 25, null, ['same category: Compute']],
    [
      'the parent category and the service: just possible',
      { ...none, serviceId: 'k8s', categoryId: 'infra' },
      30,
      'POSSIBLE',
      ['category Compute is under infra', 'same service: Kubernetes Platform'],
    ],
    [
      'category and service: possible',
      { ...none, serviceId: 'k8s', categoryId: 'compute' },
      40,
      'POSSIBLE',
      ['same category: Compute', 'same service: Kubernetes Platform'],
    ],
    [
      'the parent category',
      { ...none, categoryId: 'infra', categoryName: 'Infrastructure', keywords: ['pods'] },
      50,
      'POSSIBLE',
      ['title mentions "pods"', 'category Compute is under Infrastructure'],
    ],
    ['whole words only', { ...none, serviceId: 'k8s', keywords: ['pod', 'loop'] }, 15, null, ['same service: Kubernetes Platform']],
    ['nothing in common', { serviceId: 'x', categoryId: 'y', keywords: ['vpn'] }, 0, null, []],
  ])('%s', (_name, hints, score, strength, reasons) => {
    expect(scoreSuggestion(crashLoop, hints)).toEqual({ score, strength, reasons });
  });

  it('counts a keyword found only in an alert, and each keyword once', () => {
    const r = scoreSuggestion(
      { ...crashLoop, alertText: '{"alertname":"KubePodCrashLooping","reason":"Evicted"}' },
      { ...none, keywords: ['evicted', 'EVICTED', 'kubepodcrashlooping', 'crashloopbackoff'] },
    );
    expect(r).toEqual({
      score: 60,
      strength: 'STRONG',
      reasons: ['title mentions "crashloopbackoff"', 'alert mentions "evicted" and "kubepodcrashlooping"'],
    });
  });

  it('caps keywords at 60 and the score at 100', () => {
    const r = scoreSuggestion(
      { ...crashLoop, title: 'a b c d' },
      { serviceId: 'k8s', categoryId: 'compute', keywords: ['a', 'b', 'c', 'd'] },
    );
    expect(r.score).toBe(100);
    expect(r.reasons[0]).toBe('title mentions "a", "b", "c", "d"');
  });

  const subject = fc.record({
    serviceId: fc.constantFrom('s1', 's2', null),
    categoryId: fc.constantFrom('c1', 'c2', null),
    categoryParentId: fc.constantFrom('p1', null),
    title: fc.array(fc.constantFrom('disk', 'full', 'pod', 'crash', 'wal', '502'), { maxLength: 5 }).map((w) => w.join(' ')),
    description: fc.array(fc.constantFrom('disk', 'oom', 'latency'), { maxLength: 3 }).map((w) => w.join(' ')),
    alertText: fc.constantFrom('', 'severity=critical pod=web-1', 'oom'),
  });
  const hints = fc.record({
    serviceId: fc.constantFrom('s1', 's2', null),
    categoryId: fc.constantFrom('c1', 'p1', null),
    keywords: fc.array(fc.constantFrom('disk', 'full', 'pod', 'oom', 'wal', 'vpn'), { maxLength: 4 }),
  });

  it('never offers on the service alone, and offering depends on the score only beyond that', () => {
    fc.assert(
      fc.property(subject, hints, (s, h) => {
        const r = scoreSuggestion(s, h);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(100);
        const withoutService = scoreSuggestion(s, { ...h, serviceId: null });
        if (withoutService.score === 0) expect(r.strength).toBeNull();
        if (r.strength) expect(r.score).toBeGreaterThanOrEqual(30);
        expect(r.strength === 'STRONG').toBe(r.strength !== null && r.score >= 60);
        // Every point has a reason.
        expect(r.score > 0).toBe(r.reasons.length > 0);
      }),
    );
  });

  it('more evidence never lowers the score', () => {
    fc.assert(
      fc.property(subject, hints, fc.constantFrom('disk', 'pod', 'oom'), (s, h, extra) => {
        expect(scoreSuggestion(s, { ...h, keywords: [...h.keywords, extra] }).score).toBeGreaterThanOrEqual(scoreSuggestion(s, h).score);
      }),
    );
  });
});

describe('containsKeyword', () => {
  it.each([
    ['HTTP 502 errors', '502', true],
    ['after 15023 ms', '502', false],
    ['No space left on device', 'no space left', true],
    ['payments-api restarts', 'payments-api', true],
    ['a (b) c', '(b)', true],
    ['anything', '  ', false],
  ])('%s / %s', (text, keyword, expected) => {
    expect(containsKeyword(text, keyword)).toBe(expected);
  });
});
