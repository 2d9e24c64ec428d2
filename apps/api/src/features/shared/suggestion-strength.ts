import type { SuggestionStrength } from '@ikb/domain';
import { registerEnumType } from 'type-graphql';

// One enum for every suggestion on an incident (known errors, models): @ikb/domain scoreSuggestion.
export const SuggestionStrengthEnum = { STRONG: 'STRONG', POSSIBLE: 'POSSIBLE' } as const satisfies Record<
  SuggestionStrength,
  SuggestionStrength
>;
registerEnumType(SuggestionStrengthEnum, {
  name: 'SuggestionStrength',
  description: 'STRONG: score 60 or more; POSSIBLE: 30 to 59, with evidence beyond a shared service.',
});
