import { codeLabel, PROBLEM_STATUSES } from '@ikb/domain';
import { LockMode, OptimisticLockError, TransactionPropagation } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { AppError, badInput } from '../../errors';
import type { Actor } from '../../graphql/actor';
import type { BulkProblemInput } from './problem-bulk.inputs';
import type { UpdateProblemInput } from './problem.inputs';
import type { BulkProblemResult, BulkProblemRowError } from './problem-bulk.types';
import { formatProblemNumber, Problem } from './problem.entity';
import { ProblemService } from './problem.service';

/** Thrown inside the batch's savepoint to roll every row back once some row was refused. */
class Refused extends Error {}

const STATUS_CODE = new RegExp(`\\b(${PROBLEM_STATUSES.join('|')})\\b`, 'g');

/**
 * One change to many problems, all or nothing. The rows are loaded and locked in one statement (in
 * id order, so overlapping bulk changes queue instead of deadlocking) and the references checked once;
 * each row then goes through the single-problem service's own rules (ProblemService.edit / move),
 * which write its timeline entry. Every row is tried so the answer names every refusal; if any was
 * refused the batch's savepoint is rolled back and nothing is written. Otherwise one flush writes the
 * rows and their events in batches, so the statement count does not grow with the number of problems.
 */
export class ProblemBulkService {
  constructor(
    private readonly em: EntityManager,
    private readonly actor: Actor,
  ) {}

  async apply(input: BulkProblemInput): Promise<BulkProblemResult> {
    if ([input.assign, input.transition].filter((a) => a != null).length !== 1)
      throw badInput('input', 'give exactly one of assign or transition');
    if (input.assign && input.assign.ownerId === undefined && input.assign.teamId === undefined)
      throw badInput('assign', 'give an owner or a team (null clears it)');
    const errors: BulkProblemRowError[] = [];
    let problems: Problem[] = [];
    try {
      await this.em.transactional(
        async (em) => {
          problems = await this.rows(em, input.problemIds, errors);
          const single = new ProblemService(em, this.actor);
          if (input.assign) await single.checkRefs(em, input.assign as UpdateProblemInput);
          for (const p of problems) {
            try {
              // null clears the owner or team, as in updateProblem.
              if (input.assign) single.edit(em, p, input.assign as UpdateProblemInput);
              else single.move(em, p, input.transition!.to, input.transition!.note ?? undefined);
            } catch (err) {
              if (!(err instanceof GraphQLError)) throw err;
              errors.push(this.rowError(p, err));
            }
          }
          if (errors.length) throw new Refused();
          await em.flush();
        },
        { propagation: TransactionPropagation.NESTED },
      );
    } catch (err) {
      if (err instanceof OptimisticLockError)
        throw new AppError('CONFLICT', 'A problem was changed by someone else at the same time; reload and try again');
      if (!(err instanceof Refused)) throw err;
    }
    if (errors.length) {
      const order = new Map(input.problemIds.map((id, n) => [id, n]));
      errors.sort((a, b) => order.get(a.problemId)! - order.get(b.problemId)!);
      return { applied: 0, problems: [], errors };
    }
    const byId = new Map(problems.map((p) => [p.id, p]));
    return { applied: problems.length, problems: input.problemIds.map((id) => byId.get(id)!), errors: [] };
  }

  /** The problems, locked in id order; an id no problem has is a refusal of its own. */
  private async rows(em: EntityManager, ids: string[], errors: BulkProblemRowError[]): Promise<Problem[]> {
    const found = await em.find(Problem, { id: { $in: ids } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
    const known = new Set(found.map((p) => p.id));
    for (const id of ids)
      if (!known.has(id)) errors.push({ problemId: id, number: null, code: 'NOT_FOUND', message: `${id}: no problem has this id` });
    return found;
  }

  private rowError(p: Problem, err: GraphQLError): BulkProblemRowError {
    const number = formatProblemNumber(p.seqNumber);
    // Status codes as people read them ("from fix in progress to open"), the row's number as the subject.
    // A field's label before a whole sentence ("Root cause: A problem becomes ...") says nothing the sentence does not.
    const reason = err.message.replace(/^[A-Z][a-z ]*: (?=[A-Z])/, '').replace(STATUS_CODE, (s) => codeLabel(s).toLowerCase());
    const message = `${number}: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`;
    return { problemId: p.id, number, code: String(err.extensions?.code ?? 'BAD_USER_INPUT'), message };
  }
}
