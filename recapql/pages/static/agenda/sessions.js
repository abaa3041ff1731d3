// A session: its card in a day's list (a title that opens its details) and its details, which
// link to its projects, topics and recommendations, to its own page, and to where each fact comes from.
import { copyLink } from "./copy_link.js";
import { disclosure } from "./disclosure.js";
import { element, link, words } from "./elements.js";
import { recommendationPath } from "./recap_data.js";
import { sourcesOf } from "./sources.js";

export function topicLinks(data, names) {
  const line = element("p", { class: "topics muted" });
  names.forEach((name, position) => {
    if (position) { line.append(" · "); }
    const path = data.paths.topic(name);
    line.append(path ? link(path, name) : name);
  });
  return line;
}

export function projectChips(data, projects) {
  return element("ul", { class: "chips projects" }, projects.map((project) => element("li", {}, [
    link(data.paths.project(project.slug), project.name, { "data-project": project.slug }),
  ])));
}

// On the session's own page each recommendation has its anchor: where its links lead.
function recommendationsOf(data, session, onPage) {
  return element("ul", { class: "recommendations-of-session" }, session.recommendations.map((item) => {
    const full = data.recommendation(item.slug) || item;
    return element("li", { id: onPage ? "recommendation-" + item.slug : null }, [
      link(recommendationPath(data.slug, { ...full, session: { slug: session.slug } }), item.title),
      element("span", { class: "muted", text: " (" + words(item.kind) + ")" }),
      full.reason ? element("span", { class: "reason", text: " — " + full.reason }) : null,
    ]);
  }));
}

// `level`: the heading level of the details' own headings; `onPage`: shown on the session's own page.
export function sessionDetails(data, session, level, onPage) {
  const heading = (text) => element("h" + level, { text });
  const sources = sourcesOf(data.slug, session);
  const path = data.paths.session(session.slug);
  return element("div", { class: "details" }, [
    session.summary ? element("p", { class: "summary", text: session.summary }) : null,
    session.notes.length ? heading("Notes") : null,
    session.notes.length ? element("ul", { class: "takeaways" },
      session.notes.map((note) => element("li", { text: note.text }))) : null,
    session.verdict ? element("p", { class: "verdict", text: "Verdict: " + session.verdict }) : null,
    session.speakers.length ? element("p", { class: "muted", text: "Speakers: " + session.speakers.join(", ") }) : null,
    session.organizations.length ? element("p", { class: "muted",
      text: "Organisations: " + session.organizations.join(", ") }) : null,
    session.projects.length ? heading("Projects") : null,
    session.projects.length ? projectChips(data, session.projects) : null,
    session.recommendations.length ? heading("Recommendations") : null,
    session.recommendations.length ? recommendationsOf(data, session, onPage) : null,
    element("p", { class: "session-links" }, [
      onPage ? null : link(path, "Session page", { class: "session-page-link" }),
      copyLink(path, session.title),
    ]),
    sources[0],
    sources[1],
  ]);
}

export function kindBadge(kind) {
  return element("span", { class: "kind", text: words(kind) });
}

// A card in a day's list: the title (a heading holding a button) opens the details in place.
export function sessionCard(data, session) {
  const details = sessionDetails(data, session, 4, false);
  details.id = "details-" + session.slug;
  details.setAttribute("hidden", "");
  const button = element("button", { class: "session-title", type: "button", "aria-expanded": "false",
    "aria-controls": details.id }, [kindBadge(session.kind), element("span", { class: "name", text: session.title })]);
  disclosure(button, details);
  return element("li", { class: "session", "data-slug": session.slug }, [
    element("h3", { class: "session-heading" }, [button]),
    topicLinks(data, session.topics),
    details,
  ]);
}
