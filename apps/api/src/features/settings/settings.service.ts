import { DEFAULT_PRIORITY_MATRIX, validatePriorityMatrix, type PriorityMatrix } from '@ikb/domain';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, fieldMessage } from '../../errors';
import { AppSetting } from './app-setting.entity';

const MATRIX_KEY = 'priority_matrix';

export async function getPriorityMatrix(em: EntityManager): Promise<PriorityMatrix> {
  const row = await em.findOne(AppSetting, { key: MATRIX_KEY });
  if (!row) return DEFAULT_PRIORITY_MATRIX;
  const checked = validatePriorityMatrix(row.value);
  return checked.ok ? checked.matrix : DEFAULT_PRIORITY_MATRIX;
}

/** Replaces the matrix used for new classifications; existing priorities are not rewritten. */
export async function setPriorityMatrix(em: EntityManager, matrix: number[][]): Promise<PriorityMatrix> {
  const checked = validatePriorityMatrix(matrix);
  if (!checked.ok) {
    // A refused cell is named by its place (rows[1][0]), so the matrix form shows the message in that cell.
    const field = checked.cell ? `rows[${checked.cell[0]}][${checked.cell[1]}]` : 'rows';
    throw new AppError('BAD_USER_INPUT', fieldMessage('rows', checked.message), { field });
  }
  await em.transactional(async (tem) => {
    await tem.upsert(AppSetting, { key: MATRIX_KEY, value: checked.matrix, updatedAt: new Date() });
  });
  return checked.matrix;
}
