/**
 * Hive Gateway at its best for the bench (`--fork` and `--jit` are given on its command line):
 * identical in-flight operations share one execution. Requests carry no credentials, so its
 * default key (method, URL, headers, document, variables) is what separates callers.
 *
 * A plain object rather than `defineConfig(...)` (which only returns its argument): importing
 * `@graphql-hive/gateway`'s types here would pull the DOM library into the project's type check.
 */
export const gatewayConfig = {
  inboundInflightRequestDeduplication: true,
  logging: 'warn',
};
