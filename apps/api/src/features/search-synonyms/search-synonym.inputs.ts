import { SYNONYM_LIMITS, SYNONYM_TERM_CHARACTERS } from '@ikb/domain';
import { ArrayMaxSize, ArrayMinSize, IsOptional, MaxLength, ValidateIf } from 'class-validator';
import { Field, InputType } from 'type-graphql';

const { minTerms, maxTerms, maxTermLength, maxTermWords } = SYNONYM_LIMITS;
/** What each term must be; the service checks each one after normalising it and names the refused one (input.terms.N). */
const TERMS_HELP =
  `${minTerms} to ${maxTerms} terms, no two the same; each 1 to ${maxTermWords} words of at most ${maxTermLength} characters: ` +
  `${SYNONYM_TERM_CHARACTERS}. Stored in lower case with single spaces.`;
export const NOTE_MAX = 500;

@InputType()
export class CreateSearchSynonymGroupInput {
  @Field(() => [String], { description: TERMS_HELP })
  @ArrayMinSize(minTerms)
  @ArrayMaxSize(maxTerms)
  terms!: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(NOTE_MAX)
  note?: string | null;
}

const GIVEN = (_: object, v: unknown) => v !== undefined;

@InputType({ description: 'Fields to change; omitted fields stay as they are.' })
export class UpdateSearchSynonymGroupInput {
  @Field(() => [String], { nullable: true, description: `Replaces the terms: ${TERMS_HELP}` })
  @ValidateIf(GIVEN)
  @ArrayMinSize(minTerms)
  @ArrayMaxSize(maxTerms)
  terms?: string[];

  @Field(() => String, { nullable: true, description: 'null or empty clears it.' })
  @IsOptional()
  @MaxLength(NOTE_MAX)
  note?: string | null;
}
