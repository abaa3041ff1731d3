// Asking /graphql as any client does, and saying in plain words why an answer did not come.

/** A failure a reader can act on: `message` says what happened; `retry` whether trying again may help. */
export class ApiFailure extends Error {
  constructor(message, retry = true) {
    super(message);
    this.name = "ApiFailure";
    this.retry = retry;
  }
}

/** The `data` of the answer to `query`, or an ApiFailure: unreachable, an error page, or the API's own refusal. */
export async function graphql(query, variables) {
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiFailure("The server could not be reached, so there is nothing to draw. Check the connection, then retry.");
  }
  const serverError = new ApiFailure(
    `The server answered with an error (HTTP ${response.status}) instead of the numbers. Try again in a moment.`,
  );
  // A proxy's error page is HTML: say so rather than show a JSON parser's complaint about "<".
  if (!(response.headers.get("content-type") || "").includes("json")) throw serverError;
  let body;
  try {
    body = await response.json();
  } catch {
    throw serverError;
  }
  if (body.errors && body.errors.length) {
    // The API's own words: it says what it refused and why.
    const words = body.errors.map((error) => error.message).join(" ");
    throw new ApiFailure(`The API could not answer: ${words}`, response.status >= 500);
  }
  if (!response.ok || !body.data) throw serverError;
  return body.data;
}
