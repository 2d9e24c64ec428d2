import { OPEN_STATUSES, RESOLVED_STATUSES } from '@ikb/domain';

// The domain's status sets as SQL lists, for queries that filter incidents by status in the database.
const list = (statuses: readonly string[]) => `(${statuses.map((s) => `'${s}'`).join(',')})`;

/** `('NEW','TRIAGED','INVESTIGATING','ON_HOLD')`: work is still owed. */
export const OPEN_STATUS_SQL = list(OPEN_STATUSES);
/** `('RESOLVED','CLOSED','REVIEWED')`: service was restored. */
export const RESOLVED_STATUS_SQL = list(RESOLVED_STATUSES);
