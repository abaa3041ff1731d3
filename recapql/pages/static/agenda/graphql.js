// Asking /graphql, and saying in plain words what went wrong when it does not answer with data.
const REASONS = { 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" };

// What went wrong, for people: `kind` is "network" (no answer), "server" (an answer that is not
// the API's), "refused" (the API refused the input: BAD_USER_INPUT) or "error" (any other error).
export class Problem extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

function serverProblem(response) {
  const reason = response.statusText || REASONS[response.status] || "";
  return new Problem("server", `The server answered ${response.status} ${reason}`.trim() +
    " instead of the agenda's data. It may be restarting or overloaded: try again in a moment.");
}

export async function graphql(query, variables) {
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
      body: JSON.stringify({ query, variables: variables || null }),
    });
  } catch (error) {
    throw new Problem("network", `Cannot reach the recapql server at ${location.host}: it may have stopped, ` +
      "or the network is down. Check that it runs, then retry.");
  }
  // A proxy's or a crashed server's HTML page is not the API's answer: never parse it as JSON.
  if (!/json/.test(response.headers.get("content-type") || "")) { throw serverProblem(response); }
  let body;
  try {
    body = await response.json();
  } catch (error) {
    throw serverProblem(response);
  }
  if (body.errors && body.errors.length) {
    const refused = body.errors.some((error) => (error.extensions || {}).code === "BAD_USER_INPUT");
    throw new Problem(refused ? "refused" : "error", body.errors.map((error) => error.message).join("; "));
  }
  if (!response.ok || !body.data) { throw serverProblem(response); }
  return body.data;
}
