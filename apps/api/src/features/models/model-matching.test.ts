import { describe, expect, it } from 'vitest';
import { containsKeyword, keywordsFromTitle, scoreModelMatch, type MatchSubject } from './model-matching';

const incident: MatchSubject = {
  serviceId: 's1',
  serviceName: 'Payments API',
  categoryId: 'c2',
  categoryName: 'DNS',
  categoryParentId: 'c1',
  title: 'Checkout returns HTTP 502',
  description: 'Gateway timeout after 15023 ms',
};
const none = { matchServiceId: null, matchCategoryId: null, matchKeywords: [] as string[] };

describe('scoreModelMatch', () => {
  it('scores service, category and keywords with reasons', () => {
    expect(scoreModelMatch(incident, { ...none, matchServiceId: 's1', matchCategoryId: 'c2', matchKeywords: ['502', 'TIMEOUT'] })).toEqual({
      score: 40 + 30 + 15 + 8,
      reasons: ['same service: Payments API', 'same category: DNS', 'keyword "502" in title', 'keyword "timeout" in description'],
    });
  });

  it('gives less for the parent category, nothing for a mismatch', () => {
    expect(scoreModelMatch(incident, { ...none, matchCategoryId: 'c1', matchCategoryName: 'Network' })).toEqual({
      score: 15,
      reasons: ['category DNS is under Network'],
    });
    expect(scoreModelMatch(incident, { ...none, matchServiceId: 's9', matchCategoryId: 'c9', matchKeywords: ['1502', 'disk'] })).toEqual({
      score: 0,
      reasons: [],
    });
    expect(scoreModelMatch({ ...incident, categoryId: null }, { ...none, matchCategoryId: 'c1' }).score).toBe(0);
  });

  it('caps keywords at 30 and the score at 100, counting a keyword once', () => {
    const r = scoreModelMatch(
      { ...incident, title: 'a b c d' },
      { ...none, matchServiceId: 's1', matchCategoryId: 'c2', matchKeywords: ['a', 'A', 'b', 'c', 'd'] },
    );
    expect(r.score).toBe(100);
    expect(r.reasons.filter((x) => x.startsWith('keyword'))).toHaveLength(4);
  });
});

describe('containsKeyword', () => {
  it('matches whole words and phrases, case-insensitively', () => {
    expect(containsKeyword('HTTP 502 errors', '502')).toBe(true);
    expect(containsKeyword('took 15023 ms', '502')).toBe(false);
    expect(containsKeyword('Connection Reset by peer', 'connection reset')).toBe(true);
    expect(containsKeyword('cost is $5 (approx.)', '$5')).toBe(true);
    expect(containsKeyword('anything', '  ')).toBe(false);
  });
});

describe('keywordsFromTitle', () => {
  it('keeps distinct meaningful words, numbers included', () => {
    expect(keywordsFromTitle('The VPN drops every hour for the remote staff')).toEqual([
      'vpn',
      'drops',
      'every',
      'hour',
      'remote',
      'staff',
    ]);
    expect(keywordsFromTitle('Checkout returns HTTP 502 on 502')).toEqual(['checkout', 'returns', 'http', '502']);
    expect(keywordsFromTitle('a b c d e f g h i j k l m n', 3)).toEqual([]);
  });
});
