import { describe, expect, it } from 'vitest';
import { statusMovesInWords } from './status-words';

describe('statusMovesInWords', () => {
  it('words a move between two known statuses of any record, keeping what follows', () => {
    expect(statusMovesInWords('INVESTIGATING -> ON_HOLD (awaiting user): waiting on the vendor')).toBe(
      'Investigating → On hold (awaiting user): waiting on the vendor',
    );
    expect(statusMovesInWords('OPEN -> KNOWN_ERROR')).toBe('Open → Known error');
    expect(statusMovesInWords('DRAFT -> IN_REVIEW: ready')).toBe('Draft → In review: ready');
    expect(statusMovesInWords('Action item "Rotate keys": OPEN -> WONT_DO (superseded)')).toBe(
      `Action item "Rotate keys": Open → Won't do (superseded)`,
    );
  });

  it('leaves anything that is not a move between known statuses as it is', () => {
    expect(statusMovesInWords('max connections 50 -> 200')).toBe('max connections 50 -> 200');
    expect(statusMovesInWords('NEW -> SHINY')).toBe('NEW -> SHINY');
    expect(statusMovesInWords('Reopened: NEW customers affected')).toBe('Reopened: NEW customers affected');
  });
});
