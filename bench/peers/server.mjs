// The peers ./bench/run measures recapql beside: Apollo Server and GraphQL Yoga, each run as
// its documentation shows, over the data recapql itself answered at bench time.
//
//   node server.mjs apollo|yoga|yoga-cache PORT DATA.json
//
// DATA.json (written by bench/peers.py from recapql's answers) holds every day of every recap
// with its sessions and their projects, and the recap `session(slug:)` looks in by default.
// The schema has the shape of recapql's for the fields the benchmark's workloads ask for; every
// resolver is a lookup in memory, built once at start. `takeaways` is a plain list of strings
// (deprecated in recapql, where it is the text of `notes`).
//
// apollo:     @apollo/server's startStandaloneServer (Node's http, cors, body-parser), defaults.
// yoga:       graphql-yoga's createYoga on Node's http.createServer, defaults.
// yoga-cache: the same with @graphql-yoga/plugin-response-cache, one cache for every client.
// Both answer POST /graphql; Yoga's health check is GET /health, Apollo's a {__typename} query.

import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const [kind, port, dataPath] = process.argv.slice(2);
const data = JSON.parse(readFileSync(dataPath, "utf8"));

const typeDefs = /* GraphQL */ `
  scalar Date

  type Query {
    days(recap: String = null): [Day!]!
    session(slug: String!, recap: String = null): Session
  }

  type Day {
    date: Date!
    title: String!
    sessions: [Session!]!
  }

  type Session {
    slug: String!
    title: String!
    summary: String
    takeaways: [String!]! @deprecated(reason: "Use notes.")
    projects: [Project!]!
  }

  type Project {
    slug: String!
    name: String!
  }
`;

const sessionsByKey = new Map();
for (const day of data.days) {
  for (const session of day.sessions) {
    sessionsByKey.set(`${day.recap}/${session.slug}`, session);
  }
}

const resolvers = {
  Query: {
    days: (_, { recap }) => (recap == null ? data.days : data.days.filter((day) => day.recap === recap)),
    session: (_, { slug, recap }) => sessionsByKey.get(`${recap ?? data.defaultRecap}/${slug}`) ?? null,
  },
};

async function apollo() {
  const { ApolloServer } = await import("@apollo/server");
  const { startStandaloneServer } = await import("@apollo/server/standalone");
  const server = new ApolloServer({ typeDefs, resolvers });
  await startStandaloneServer(server, { listen: { host: "127.0.0.1", port: Number(port) } });
}

async function yoga(cached) {
  const { createSchema, createYoga } = await import("graphql-yoga");
  const plugins = [];
  if (cached) {
    const { useResponseCache } = await import("@graphql-yoga/plugin-response-cache");
    plugins.push(useResponseCache({ session: () => null }));
  }
  const server = createServer(createYoga({ schema: createSchema({ typeDefs, resolvers }), plugins }));
  await new Promise((resolve) => server.listen(Number(port), "127.0.0.1", resolve));
}

const start = { apollo: () => apollo(), yoga: () => yoga(false), "yoga-cache": () => yoga(true) }[kind];
if (start === undefined) {
  console.error(`server.mjs: no peer ${JSON.stringify(kind)} (apollo, yoga, yoga-cache)`);
  process.exit(2);
}
await start();
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => process.exit(0));
}
