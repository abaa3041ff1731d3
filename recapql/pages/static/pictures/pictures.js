// The pictures page: ask the API for one recap's numbers, draw both pictures, and say plainly
// what went wrong when that fails (with a Retry where trying again may help).
import { ApiFailure } from "./api.js";
import { html } from "./elements.js";
import { loadPictures } from "./counts.js";
import { projectsBySessionPicture } from "./projects-by-session.js";
import { topicsByDayPicture } from "./topics-by-day.js";

const main = document.getElementById("pictures");
const status = document.getElementById("status");
const recap = main.dataset.recap;

function say(state, children) {
  document.body.dataset.state = state;
  status.replaceChildren(...children);
  status.hidden = children.length === 0;
}

function failed(error) {
  const words = error instanceof ApiFailure ? error.message : `The pictures could not be drawn: ${error.message}`;
  const retry = html("button", { type: "button", class: "retry", text: "Retry" });
  retry.addEventListener("click", show);
  say("failed", [html("p", { id: "status-text", class: "problem", text: words }), error.retry === false ? null : retry]
    .filter(Boolean));
}

function missing() {
  say("missing", [html("p", { id: "status-text", class: "problem" }, [
    document.createTextNode(`There is no recap “${recap}” here any more, so there is nothing to draw. `),
    html("a", { href: "/", text: "The agenda" }),
    document.createTextNode(" lists the recaps this server holds."),
  ])]);
}

async function show() {
  main.querySelectorAll(".picture").forEach((picture) => picture.remove());
  say("loading", [html("p", { id: "status-text", text: "Loading the pictures…" })]);
  let model;
  try {
    model = await loadPictures(recap);
  } catch (error) {
    failed(error);
    return;
  }
  if (model === null) {
    missing();
    return;
  }
  // The width the pictures may take before their boxes scroll: main's, less its padding.
  const style = getComputedStyle(main);
  const available = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 34;
  main.append(
    topicsByDayPicture(model.slug, model.topics, available),
    projectsBySessionPicture(model.slug, model.projects, available),
  );
  say("ready", []);
}

show();
