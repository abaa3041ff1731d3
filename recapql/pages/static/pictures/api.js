// The pictures' questions to /graphql, and why an answer did not come, in plain words.
import { ask, Unanswered } from "../graphql_client.js";

/** A failure a reader can act on: `message` says what happened; `retry` whether trying again may help. */
export class ApiFailure extends Error {
  constructor(message, retry = true) {
    super(message);
    this.name = "ApiFailure";
    this.retry = retry;
  }
}

function failureOf(unanswered) {
  if (unanswered.kind === "network") {
    return new ApiFailure("The server could not be reached, so there is nothing to draw. Check the connection, then retry.");
  }
  if (unanswered.kind === "errors") {
    // The API's own words: it says what it refused and why.
    const words = unanswered.errors.map((error) => error.message).join(" ");
    return new ApiFailure(`The API could not answer: ${words}`, unanswered.status >= 500);
  }
  return new ApiFailure(
    `The server answered with an error (HTTP ${unanswered.status}) instead of the numbers. Try again in a moment.`,
  );
}

/** The `data` of the answer to `query`, or an ApiFailure: unreachable, an error page, or the API's own refusal. */
export async function graphql(query, variables) {
  try {
    return await ask(query, variables);
  } catch (error) {
    throw error instanceof Unanswered ? failureOf(error) : error;
  }
}
