// PostGraphile 5 over Pendamping's own tables, as pendamping-bench starts it:
// the amber preset, simplified inflection, the connection-filter plugin and a
// pool of 16 connections like Pendamping's. The database comes from
// DATABASE_URL, the port from PORT.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";
import { makePgService } from "postgraphile/adaptors/pg";

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [
    PostGraphileAmberPreset,
    PgSimplifyInflectionPreset,
    PostGraphileConnectionFilterPreset,
  ],
  // Conditions, filters and orders on every column, indexed or not (PostGraphile 4's
  // default): the question filters on `is_current`, which only a partial index covers.
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: 16 },
    }),
  ],
  grafserv: {
    host: "127.0.0.1",
    port: Number(process.env.PORT ?? 5678),
    graphiql: false,
    watch: false,
  },
  grafast: { explain: false },
  schema: {
    // The filters postgraphile5.graphql uses: `in`, `isNull`, `lessThan` on plain columns.
    connectionFilterRelations: false,
    connectionFilterComputedColumns: false,
    connectionFilterSetofFunctions: false,
    connectionFilterArrays: false,
  },
};

export default preset;
