/** The other way to the first admin, named on the setup and sign-in pages. */
export const CLI_HINT = 'pnpm cli user create --role ADMIN';
