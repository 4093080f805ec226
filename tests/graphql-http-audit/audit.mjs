// Runs the public GraphQL-over-HTTP audit suite (npm package `graphql-http`)
// against a running Pendamping server.
//
//   npm install && node audit.mjs http://127.0.0.1:8080/graphql
//
// AUDIT_TOKEN, when set, is sent as a bearer token with every request.
// Exits non-zero when any MUST audit fails.
import { serverAudits } from 'graphql-http';

const url = process.argv[2] ?? 'http://127.0.0.1:8080/graphql';
const token = process.env.AUDIT_TOKEN;
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers ?? {});
  if (token) headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

// MUST audits fail with 'error', SHOULD with 'warn', MAY with 'notice'.
let ok = 0, warn = 0, notice = 0, error = 0;
for (const audit of serverAudits({ url, fetchFn })) {
  const result = await audit.fn();
  if (result.status === 'ok') ok += 1;
  else if (result.status === 'warn') warn += 1;
  else if (result.status === 'notice') notice += 1;
  else error += 1;
  if (result.status !== 'ok') console.log(`${result.status.toUpperCase()}  ${audit.name}: ${result.reason}`);
}
console.log(`${ok} ok, ${warn} warn, ${notice} notice, ${error} error`);
process.exit(error > 0 ? 1 : 0);
