// Every count of one import run. A dry run's counts are what it would have done; a count the run
// did not get to (a file refused before its rows were read) is "—".
import { Dl } from '@/components/ui';
import type { RunCountsFragment } from '@/gql/graphql';
import { formatCount } from './format';

export function RunCounts({ run }: { run: RunCountsFragment }) {
  const would = run.outcome === 'DRY_RUN' ? ' (would be)' : '';
  return (
    <section className="panel" aria-labelledby="counts-h" data-testid="run-counts">
      <h2 id="counts-h">Counts</h2>
      {would ? <p className="small muted">A dry run writes nothing: these are what the import would have done.</p> : null}
      <Dl
        items={[
          ['Rows read', formatCount(run.rows)],
          ['Incidents in the file', formatCount(run.incidentsInFile)],
          [`Incidents created${would}`, formatCount(run.incidentsCreated)],
          [`Incidents updated${would}`, formatCount(run.incidentsUpdated)],
          ['Incidents unchanged', formatCount(run.incidentsUnchanged)],
          [`Problems created${would}`, formatCount(run.problemsCreated)],
          [`Timeline events created${would}`, formatCount(run.eventsCreated)],
          [`Teams created${would}`, formatCount(run.teamsCreated)],
          [`People created${would}`, formatCount(run.peopleCreated)],
          [`Services created${would}`, formatCount(run.servicesCreated)],
          [`Categories created${would}`, formatCount(run.categoriesCreated)],
          ['Rows rejected', formatCount(run.rowsRejected)],
          ['Incidents left out', formatCount(run.incidentsRejected)],
          ['Rejected rows kept', formatCount(run.rejectsStored)],
        ]}
      />
    </section>
  );
}
