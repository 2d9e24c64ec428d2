import { TransactionPropagation } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { AppError, badInput } from '../../errors';
import type { Actor } from '../../graphql/actor';
import { ReviewService } from '../reviews/review.service';
import { pgTextArray } from '../../db/pg-array';
import { formatIncidentNumber, Incident } from './incident.entity';
import type { BulkIncidentInput } from './incident-bulk.inputs';
import type { BulkIncidentResult, BulkRowError } from './incident-bulk.types';
import { IncidentService } from './incident.service';

/** Thrown inside the batch's savepoint to roll every row back once some row was refused. */
class Refused extends Error {}

function lowerFirst(s: string): string {
  return s && /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

/**
 * One change to many incidents, all or nothing. Each row runs through the same service method as
 * the single-incident mutation (same rules, events, SLA recomputation), in a savepoint of its own
 * so a refused row cannot poison the others, and every row is tried so the answer lists every
 * refusal at once. If any row was refused, the whole batch's savepoint is rolled back: nothing
 * changed, and the caller gets each refusal in plain words. Rows are locked in id order, so two
 * bulk changes over overlapping incidents queue instead of deadlocking.
 */
export class IncidentBulkService {
  constructor(
    private readonly em: EntityManager,
    private readonly actor: Actor,
  ) {}

  async apply(input: BulkIncidentInput): Promise<BulkIncidentResult> {
    const actions = [input.assign, input.acknowledge, input.transition, input.addToReviewId].filter((a) => a != null).length;
    if (actions !== 1) throw badInput('input', 'give exactly one of assign, acknowledge, transition or addToReviewId');
    const numbers = await this.numbers(input.incidentIds);
    const ordered = [...input.incidentIds].sort();
    const errors: BulkRowError[] = [];
    const changed = new Map<string, Incident>();
    try {
      await this.em.transactional(
        async (batch) => {
          if (input.addToReviewId) {
            const missing = ordered.filter((id) => !numbers.has(id));
            for (const id of missing) errors.push(this.rowError(id, null, new AppError('NOT_FOUND', 'no incident has this id')));
            if (!missing.length) await new ReviewService(batch, this.actor).setIncidents(input.addToReviewId, ordered, true);
          } else {
            for (const id of ordered) {
              try {
                const done = await batch.transactional((row) => this.one(row, id, input), { propagation: TransactionPropagation.NESTED });
                changed.set(id, done);
              } catch (err) {
                if (!(err instanceof GraphQLError)) throw err;
                errors.push(this.rowError(id, numbers.get(id) ?? null, err));
              }
            }
          }
          if (errors.length) throw new Refused();
        },
        { propagation: TransactionPropagation.NESTED },
      );
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
    }
    if (errors.length) {
      const order = new Map(input.incidentIds.map((id, n) => [id, n]));
      errors.sort((a, b) => order.get(a.incidentId)! - order.get(b.incidentId)!);
      return { applied: 0, incidents: [], errors };
    }
    const incidents = input.addToReviewId ? await this.reload(input.incidentIds) : input.incidentIds.map((id) => changed.get(id)!);
    return { applied: input.incidentIds.length, incidents, errors: [] };
  }

  private one(em: EntityManager, id: string, input: BulkIncidentInput): Promise<Incident> {
    const service = new IncidentService(em, this.actor);
    if (input.acknowledge) return service.acknowledge(id);
    return input.assign ? service.assign(id, input.assign) : service.transition(id, input.transition!);
  }

  private rowError(incidentId: string, number: string | null, err: GraphQLError): BulkRowError {
    const code = String(err.extensions?.code ?? 'BAD_USER_INPUT');
    // The single mutation's message names its argument ("id: ..."); in a batch the row is the subject.
    const reason = err.message.replace(/^(id|input(\.\w+)*): /, '');
    const subject = number ?? incidentId;
    // Some messages already start with the number ("INC-000005 is CLOSED: ..."): not twice.
    return { incidentId, number, code, message: reason.startsWith(subject) ? reason : `${subject}: ${lowerFirst(reason)}` };
  }

  private async numbers(ids: string[]): Promise<Map<string, string>> {
    const rows = await this.em.execute<{ id: string; number: number }[]>('select id, number from incidents where id = any(?::uuid[])', [
      pgTextArray(ids),
    ]);
    return new Map(rows.map((r) => [r.id, formatIncidentNumber(r.number)]));
  }

  private async reload(ids: string[]): Promise<Incident[]> {
    const found = await this.em.find(Incident, { id: { $in: ids } });
    const byId = new Map(found.map((i) => [i.id, i]));
    return ids.map((id) => byId.get(id)!).filter(Boolean);
  }
}
