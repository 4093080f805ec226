// Runs the GraphQL-over-HTTP server audits of the npm package `graphql-http`
// against a running server and prints every audit with its result.
//
//   npm install && node audit.mjs http://127.0.0.1:8080/graphql
//
// AUDIT_TOKEN, when set, is sent as `Authorization: Bearer <token>` with every
// request. Exits 1 when a MUST audit fails (a failing SHOULD is a warning, a
// failing MAY a notice), 2 when the server cannot be audited at all.
import { serverAudits } from 'graphql-http';

const url = process.argv[2] ?? 'http://127.0.0.1:8080/graphql';
const token = process.env.AUDIT_TOKEN;

/** `fetch`, with the bearer token added to whatever headers the audit sets. */
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers ?? {});
  if (token) headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

const counts = { ok: 0, warn: 0, notice: 0, error: 0 };
console.log(`Auditing ${url}${token ? ' (with a bearer token)' : ''}`);
for (const audit of serverAudits({ url, fetchFn })) {
  let result;
  try {
    result = await audit.fn();
  } catch (err) {
    // Anything but an assertion failure (server down, connection reset…) is fatal.
    console.error(`FATAL  ${audit.id} ${audit.name}: ${err?.cause?.message ?? err}`);
    process.exit(2);
  }
  counts[result.status] += 1;
  const line = `${result.status.toUpperCase().padEnd(6)} ${audit.id} ${audit.name}`;
  console.log(result.status === 'ok' ? line : `${line}\n         -> ${result.reason}`);
}
console.log(
  `\n${counts.ok} ok, ${counts.warn} warn (SHOULD), ${counts.notice} notice (MAY), ` +
    `${counts.error} error (MUST)`,
);
process.exit(counts.error > 0 ? 1 : 0);
