// The list views: the whole agenda (every day, then the recommendations) and one day, each
// narrowed by the filters and the search; a day left empty says so in a line instead of a count.
import { dateElement, humanDate } from "./dates.js";
import { element, link, quoted } from "./elements.js";
import { recommendationsSection } from "./recommendations.js";
import { queryOf } from "./routes.js";
import { sessionCard } from "./sessions.js";

function countText(shown, total) {
  if (shown === total) { return " · " + total + (total === 1 ? " session" : " sessions"); }
  return " · " + shown + " of " + total + " sessions";
}

function daySection(data, day, keep, params, onItsPage) {
  const sessions = day.sessions.filter(keep);
  const date = dateElement(day.date);
  const heading = element("h2", { id: "day-" + day.date, tabindex: onItsPage ? "-1" : null,
    class: onItsPage ? "view-title" : null }, [
    onItsPage ? date : element("a", { href: data.paths.day(day.date) + queryOf(params) }, [date]),
    element("span", { class: "day-title", text: " " + day.title }),
    // On the day's own page the status line counts; in the agenda each day says how many it shows.
    sessions.length && !onItsPage ? element("span", { class: "count muted",
      text: countText(sessions.length, day.sessions.length) }) : null,
  ]);
  return element("section", { class: "day", "data-day": day.date, "aria-labelledby": heading.id }, [
    heading,
    sessions.length ? element("ul", { class: "sessions" }, sessions.map((session) => sessionCard(data, session)))
      : element("p", { class: "muted empty-day", text: day.sessions.length === 1
        ? "Its one session does not match." : "None of its " + day.sessions.length + " sessions match." }),
  ]);
}

function neighbours(data, day, params) {
  const at = data.days.indexOf(day);
  const before = data.days[at - 1];
  const after = data.days[at + 1];
  return element("nav", { class: "day-neighbours", "aria-label": "Other days" }, [
    before ? link(data.paths.day(before.date) + queryOf(params), "← " + humanDate(before.date), { rel: "prev" }) : null,
    link(data.paths.recap() + queryOf(params), "All days"),
    after ? link(data.paths.day(after.date) + queryOf(params), humanDate(after.date) + " →", { rel: "next" }) : null,
  ]);
}

// What the filters and search left, said plainly when it is nothing.
function nothingText(params) {
  return params.q ? "No session matches " + quoted(params.q) : "No session matches these filters";
}

function nothingLeft(params) {
  return element("p", { class: "empty" }, [nothingText(params) + ". ",
    link("?", "Show every session", { class: "clear-link" })]);
}

// `keep(session)`: whether the filters and search let a session through. Returns the counts shown.
export function renderList(view, data, route, keep) {
  const days = route.view === "day" ? [data.day(route.key)] : data.days;
  const total = days.reduce((count, day) => count + day.sessions.length, 0);
  const shown = days.reduce((count, day) => count + day.sessions.filter(keep).length, 0);
  if (route.view === "day") { view.append(neighbours(data, days[0], route.params)); }
  if (route.view === "day") {
    view.append(daySection(data, days[0], keep, route.params, true));
  } else if (shown === 0) {
    view.append(nothingLeft(route.params));
  } else {
    days.forEach((day) => view.append(daySection(data, day, keep, route.params, false)));
  }
  if (route.view === "agenda") { view.append(recommendationsSection(data)); }
  return { shown, total, days: days.length };
}

export function listStatus(route, counts, day) {
  const where = route.view === "day" ? " on " + humanDate(day.date) : " over " + counts.days + " days";
  if (counts.shown === 0) { return nothingText(route.params) + (day ? where : "") + "."; }
  if (counts.shown === counts.total) { return counts.total + " sessions" + where; }
  return counts.shown + " of " + counts.total + " sessions shown";
}
