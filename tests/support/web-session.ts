/**
 * Signs in through the web app's same-origin /graphql proxy (base: the web server's URL) and
 * returns the session cookie as a request header value ("ikb_session=..."), for tests that fetch
 * pages and routes over HTTP without a browser.
 */
export async function webSessionCookie(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($i: SignInInput!) { signIn(input: $i) { csrfToken } }',
      variables: { i: { email, password } },
    }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ikb_session='));
  if (!cookie) throw new Error(`sign-in as ${email} failed: ${res.status} ${await res.text()}`);
  return cookie.split(';')[0]!;
}
