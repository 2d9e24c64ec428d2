/**
 * Imported first by benchmarks that run the API in their own process: it runs as deployed
 * (NODE_ENV=production, as `pnpm bench:load` runs its API), unless NODE_ENV says otherwise.
 * graphql-js reads NODE_ENV once, when it is loaded: outside production it checks every
 * instanceof it makes for a second copy of the library, a cost no deployment pays.
 */
process.env.NODE_ENV ||= 'production';
