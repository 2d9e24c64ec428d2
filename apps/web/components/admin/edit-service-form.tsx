'use client';
import { Field, FieldErrors, FormError, OptionSelect, Submit, bool, str, type Option } from '@/components/forms';
import { UpdateServiceDocument } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import { EditDisclosure, orNull } from './edit-disclosure';

export function EditServiceForm({
  service,
  teams,
}: {
  service: { id: string; name: string; description?: string | null; ownerTeamId?: string | null; public?: boolean };
  teams: Option[];
}) {
  const { run, busy, error, errors } = useAction(UpdateServiceDocument);
  return (
    <EditDisclosure label={`Edit service ${service.name}`}>
      {(close) => (
        <form
          className="form"
          aria-label={`Edit service ${service.name}`}
          onSubmit={async (e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const input = {
              name: str(f, 'name') ?? '',
              description: orNull(f, 'description'),
              ownerTeamId: orNull(f, 'ownerTeamId'),
              public: bool(f, 'public'),
            };
            if (await run({ id: service.id, input })) close();
          }}
        >
          <FieldErrors errors={errors}>
            <Field label="Name">
              <input type="text" name="name" required maxLength={120} defaultValue={service.name} />
            </Field>
            <Field label="Owner team">
              <OptionSelect name="ownerTeamId" options={teams} empty="—" defaultValue={service.ownerTeamId} />
            </Field>
            <Field label="Description" wide>
              <input type="text" name="description" maxLength={2000} defaultValue={service.description ?? ''} />
            </Field>
            <Field label="Show on the public status page" field="public" hint="Its name, state and uptime; nothing else of it.">
              <input type="checkbox" name="public" defaultChecked={service.public ?? false} />
            </Field>
            <FormError error={error} />
          </FieldErrors>
          <div className="actions">
            <Submit busy={busy}>Save service</Submit>
          </div>
        </form>
      )}
    </EditDisclosure>
  );
}
