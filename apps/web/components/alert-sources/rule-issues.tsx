'use client';
// An alert-source form's error: the message, and the API's issues with the rules one per line.
export function RuleIssues({ error }: { error: { message: string; issues: string[] } | null }) {
  if (!error) return null;
  return (
    <div className="form-error" role="alert">
      {error.message}
      {error.issues.length ? (
        <ul style={{ margin: '0.25rem 0 0', paddingLeft: '1.2rem' }}>
          {error.issues.map((i) => (
            <li key={i} className="mono small">
              {i}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
