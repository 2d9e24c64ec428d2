// How strongly a suggestion fits the incident, readable at a glance: "Strong match · 85 / 100".
// The rule (@ikb/domain scoreSuggestion) is in the title, so the number can be checked.
import type { SuggestionStrength } from '@/gql/graphql';

export const SCORE_RULE =
  'Score 0-100: a symptom keyword 35 in the title, 30 in the description or an alert (60 at most), same category 25 ' +
  '(parent 15), same service 15. Offered with evidence beyond the service from 30; strong from 60.';

export function strengthWords(strength: SuggestionStrength, score: number): string {
  return `${strength === 'STRONG' ? 'Strong match' : 'Possible match'} (score ${score} of 100)`;
}

export function SuggestionStrengthBadge({ strength, score }: { strength: SuggestionStrength; score: number }) {
  return (
    <span className={`badge strength ${strength === 'STRONG' ? 'strong' : 'possible'}`} title={SCORE_RULE}>
      {strength === 'STRONG' ? 'Strong match' : 'Possible match'} · {score}
      <span className="visually-hidden"> of 100</span>
    </span>
  );
}

/** "title mentions "502"; same category: Software" */
export const reasonsText = (reasons: readonly string[]) => reasons.join('; ');
