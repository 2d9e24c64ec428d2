import { SAVED_VIEW_KEYS } from '@ikb/domain';
import type { Metadata } from 'next';
import Link from 'next/link';
import { SavedViewsPanel, filtersFromParams } from '@/components/lists/saved-views-panel';
import { ExportLink } from '@/components/export-link';
import { IfAllowed } from '@/components/if-allowed';
import { ModelRow } from '@/components/model-row';
import { Empty, ErrorBox, PageHeader, Pager } from '@/components/ui';
import { ModelListDocument } from '@/gql/graphql';
import { modelParams } from '@/lib/list-params';
import { one, type SearchParams } from '@/lib/params';
import { gql } from '@/lib/server';

export const metadata: Metadata = { title: 'Incident models' };

export default async function ModelsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const { text, status } = modelParams(sp);
  const after = one(sp, 'after');
  const res = await gql(ModelListDocument, { first: 25, after, status, text });
  return (
    <>
      <PageHeader
        title="Incident models"
        lead={
          'Reusable, versioned recipes for repeatable incidents: ' +
          'matching hints, default classification and team, checklist, workarounds and SLA override.'
        }
        actions={
          <IfAllowed op="createIncidentModel">
            <Link className="btn primary" href="/models/new">
              New model
            </Link>
          </IfAllowed>
        }
      />
      <SavedViewsPanel list="MODELS" filters={filtersFromParams(sp, SAVED_VIEW_KEYS.MODELS)} />
      <div className="list-tools">
        <ExportLink list="models" searchParams={sp} />
      </div>
      <form className="filters" method="get" action="/models" role="search" aria-label="Filter models">
        <div className="form">
          <label className="field">
            <span className="field-label">Name</span>
            <input type="search" name="q" defaultValue={text} data-shortcut="filter" />
          </label>
          <label className="field">
            <span className="field-label">Status</span>
            <select name="status" defaultValue={status ?? ''}>
              <option value="">Any</option>
              <option value="ACTIVE">Active</option>
              <option value="RETIRED">Retired</option>
            </select>
          </label>
          <div className="actions">
            <button className="btn primary" type="submit">
              Apply filters
            </button>
          </div>
        </div>
      </form>
      {res.error !== undefined ? (
        <ErrorBox title="Incident models could not be loaded" message={res.error} />
      ) : res.data.incidentModels.nodes.length === 0 ? (
        <Empty>
          {text || status ? 'No model matches.' : 'No incident models yet. Make one from a resolved incident, or start from scratch.'}
        </Empty>
      ) : (
        <>
          <div className="table-wrap">
            <table className="data">
              <caption>{res.data.incidentModels.totalCount} models, by name</caption>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Status</th>
                  <th scope="col">Matches</th>
                  <th scope="col" className="num">
                    Applied
                  </th>
                  <th scope="col" className="num">
                    Held
                  </th>
                  <th scope="col" className="num">
                    Median to resolve
                  </th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {res.data.incidentModels.nodes.map((m) => (
                  <ModelRow key={m.id} model={m} />
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            basePath="/models"
            params={{ q: text, status }}
            endCursor={res.data.incidentModels.pageInfo.endCursor}
            hasNextPage={res.data.incidentModels.pageInfo.hasNextPage}
            isFirstPage={!after}
            shown={res.data.incidentModels.nodes.length}
            total={res.data.incidentModels.totalCount}
          />
        </>
      )}
    </>
  );
}
