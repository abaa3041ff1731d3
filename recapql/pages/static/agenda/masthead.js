// The header of the recap shown: its event, place and dates, the author's verdict and notes, its
// calendar and pictures; and, when the store holds several recaps, the list to choose between them.
import { dateRange } from "./dates.js";
import { closesOnEscape } from "./disclosure.js";
import { byId, clear, element, show } from "./elements.js";
import { pathOf } from "./routes.js";

export function renderMasthead(recap) {
  byId("title").textContent = recap.event;
  const subtitle = clear(byId("subtitle"));
  subtitle.append(recap.city + ", " + recap.country + " · ", dateRange(recap.startDate, recap.endDate));
  const verdict = byId("verdict");
  verdict.textContent = recap.verdict ? "Verdict: " + recap.verdict : "";
  show(verdict, Boolean(recap.verdict));
  const notes = byId("recap-notes");
  notes.querySelector("summary").textContent = "The recap's notes on the event (" + recap.notes.length + ")";
  notes.querySelector("ul").replaceChildren(...recap.notes.map((note) => element("li", { text: note.text })));
  show(notes, recap.notes.length > 0);
  const base = pathOf(recap.slug, "agenda");
  // The recap shown, as an iCalendar file: one event per session (docs/api.md, "A recap's calendar").
  const calendar = byId("calendar-link");
  calendar.setAttribute("href", base + "/calendar.ics");
  calendar.setAttribute("title", "The sessions of " + recap.event + " as an iCalendar file");
  show(calendar, true);
  const pictures = byId("pictures-link");
  pictures.setAttribute("href", base + "/pictures");
  show(pictures, true);
}

export function renderNoRecap() {
  byId("title").textContent = "recapql";
  clear(byId("subtitle"));
  ["verdict", "recap-notes", "calendar-link", "pictures-link"].forEach((id) => show(byId(id), false));
}

export function renderRecaps(recaps, current) {
  const nav = clear(byId("recaps"));
  const several = recaps.totalCount > 1;
  show(nav, several);
  show(byId("search-all-label"), several);
  if (!several) { return; }  // one recap: nothing to choose between
  nav.append(
    element("h2", { class: "recaps-title", text: recaps.totalCount + " recaps" }),
    element("ul", { class: "chips recap-list" }, recaps.nodes.map((recap) => element("li", {}, [
      element("a", { href: pathOf(recap.slug, "agenda"), "data-recap": recap.slug,
        "aria-current": recap.slug === current ? "page" : null,
        text: recap.event + " · " + recap.city + " · " + recap.startDate.slice(0, 4) }),
    ]))),
  );
}

export function watchMasthead() {
  closesOnEscape(byId("recap-notes"));
}
