// The agenda's questions to /graphql, and what went wrong in words a reader understands.
import { ask, Unanswered } from "../graphql_client.js";

const REASONS = { 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" };

// What went wrong, for people: `kind` is "network" (no answer), "server" (an answer that is not
// the API's), "refused" (the API refused the input: BAD_USER_INPUT) or "error" (any other error).
export class Problem extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

function problemOf(unanswered) {
  if (unanswered.kind === "network") {
    return new Problem("network", `Cannot reach the recapql server at ${location.host}: it may have stopped, ` +
      "or the network is down. Check that it runs, then retry.");
  }
  if (unanswered.kind === "errors") {
    const refused = unanswered.errors.some((error) => (error.extensions || {}).code === "BAD_USER_INPUT");
    return new Problem(refused ? "refused" : "error", unanswered.errors.map((error) => error.message).join("; "));
  }
  const reason = unanswered.statusText || REASONS[unanswered.status] || "";
  return new Problem("server", `The server answered ${unanswered.status} ${reason}`.trim() +
    " instead of the agenda's data. It may be restarting or overloaded: try again in a moment.");
}

export async function graphql(query, variables) {
  try {
    return await ask(query, variables);
  } catch (error) {
    throw error instanceof Unanswered ? problemOf(error) : error;
  }
}
