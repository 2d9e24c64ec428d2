import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, assertUuid, notFound } from '../../errors';
import { SlaPolicyRecord } from './sla-policy.entity';

/**
 * Retiring an SLA policy. The rule: a policy that something still uses is refused retirement,
 * with the list of users, rather than retired under them: a service keeping a retired policy
 * would start new incidents under it, which is what retiring is meant to stop. So the default
 * policy (the fallback of every service without its own), a policy that services have as their
 * own, and one that active incident models apply are refused until they are moved. Running
 * clocks are untouched: they reference an immutable version, not the policy's state.
 */
export class SlaRetireService {
  constructor(private readonly em: EntityManager) {}

  async retire(id: string, now = new Date()): Promise<SlaPolicyRecord> {
    const policy = await this.load(id, true);
    if (policy.retiredAt) return policy;
    if (policy.isDefault)
      throw new AppError(
        'CONFLICT',
        `"${policy.name}" is the default policy and cannot be retired; make another policy the default first`,
        {
          field: 'id',
        },
      );
    const users = await this.usersOf(policy.id);
    if (users.length)
      throw new AppError('CONFLICT', `"${policy.name}" is still used by ${listed(users)}; give them another policy first, then retire it`, {
        field: 'id',
        usedBy: users.slice(0, 50),
      });
    policy.retiredAt = now;
    return policy;
  }

  async restore(id: string): Promise<SlaPolicyRecord> {
    const policy = await this.load(id, true);
    policy.retiredAt = null;
    return policy;
  }

  /** Services that have it as their own policy, and active incident models whose current version applies it. */
  async usersOf(policyId: string): Promise<string[]> {
    const rows = await this.em.execute<{ kind: string; name: string }[]>(
      `select 'service' as kind, s.name from services s where s.sla_policy_id = ?
       union all
       select 'incident model' as kind, m.name from incident_models m
         join incident_model_versions v on v.model_id = m.id and v.version = m.current_version
        where m.status = 'ACTIVE' and v.sla_policy_id = ?
       order by 1 desc, 2`,
      [policyId, policyId],
    );
    return rows.map((r) => `${r.kind} "${r.name}"`);
  }

  private async load(id: string, lock: boolean): Promise<SlaPolicyRecord> {
    assertUuid('id', id);
    // Locked: a concurrent setServiceSlaPolicy takes the same lock (assertAssignable), so no service
    // can pick the policy up between the check above and the commit.
    const policy = await this.em.findOne(SlaPolicyRecord, { id }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
    if (!policy) throw notFound('id', 'SLA policy', id);
    return policy;
  }
}

/** Refuses giving a retired policy to a service, a model, or the default role. */
export function assertAssignable(policy: SlaPolicyRecord, field: string): void {
  if (policy.retiredAt)
    throw new AppError('BAD_USER_INPUT', `${field}: the SLA policy "${policy.name}" is retired; restore it first or pick another`, {
      field,
    });
}

function listed(users: string[]): string {
  const shown = users.slice(0, 5).join(', ');
  return users.length > 5 ? `${shown} and ${users.length - 5} more` : shown;
}
