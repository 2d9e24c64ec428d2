import { PUBLIC_STATES, type PublicState } from '@ikb/domain';
import { registerEnumType } from 'type-graphql';

export const PublicStateEnum = Object.fromEntries(PUBLIC_STATES.map((s) => [s, s])) as { [K in PublicState]: K };

registerEnumType(PublicStateEnum, {
  name: 'PublicUpdateState',
  description: 'The state a public update gives its incident on the status page; RESOLVED ends it there.',
});
