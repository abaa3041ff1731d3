// The states around the views: loading, and a problem in plain words with a Retry that works.
import { byId, show } from "./elements.js";

export function setStatus(text) {
  byId("status").textContent = text;
}

export function setBusy(busy) {
  if (busy) { byId("view").setAttribute("aria-busy", "true"); } else { byId("view").removeAttribute("aria-busy"); }
}

let retrying = null;

export function showProblem(problem, retry) {
  byId("problem-text").textContent = problem.message;
  retrying = retry;
  show(byId("retry"), Boolean(retry));
  show(byId("problem"), true);
  document.body.setAttribute("data-problem", problem.kind || "error");
}

export function hideProblem() {
  retrying = null;
  show(byId("problem"), false);
  document.body.removeAttribute("data-problem");
}

export function watchRetry() {
  byId("retry").addEventListener("click", () => {
    const retry = retrying;
    hideProblem();
    if (retry) { retry(); }
  });
}
