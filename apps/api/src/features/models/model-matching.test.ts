import { describe, expect, it } from 'vitest';
import { keywordsFromTitle } from './model-matching';

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
