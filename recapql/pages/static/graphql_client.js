// Asking /graphql as any client does, for every page of ours; each page says what went wrong in its own words.

// Why no data came: `kind` is "network" (no answer at all), "server" (an answer that is not the
// API's: a proxy's error page, a crash) or "errors" (the API's own errors, in `errors`).
export class Unanswered extends Error {
  constructor(kind, response, errors = []) {
    super(kind);
    this.name = "Unanswered";
    this.kind = kind;
    this.status = response ? response.status : 0;
    this.statusText = response ? response.statusText : "";
    this.errors = errors;
  }
}

/** The `data` of the answer to `query`, or an Unanswered saying why there is none. */
export async function ask(query, variables) {
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
      body: JSON.stringify({ query, variables: variables || null }),
    });
  } catch {
    throw new Unanswered("network", null);
  }
  // An HTML page is not the API's answer: never parse it as JSON (no "Unexpected token '<'").
  if (!/json/.test(response.headers.get("content-type") || "")) throw new Unanswered("server", response);
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Unanswered("server", response);
  }
  if (body.errors && body.errors.length) throw new Unanswered("errors", response, body.errors);
  if (!response.ok || !body.data) throw new Unanswered("server", response);
  return body.data;
}
