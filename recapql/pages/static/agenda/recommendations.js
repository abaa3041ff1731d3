// The recap's recommendations by kind, each linked to the session or project it comes with.
import { element, link, quoted } from "./elements.js";

const KINDS = [
  ["BUZZWORD", "Buzzwords"],
  ["WATCH", "Talks to watch"],
  ["READ", "To read"],
  ["EXPLORE", "To explore"],
  ["PRACTICE", "To practise"],
];

// One recommendation; `anchored`: this list is where its links lead (it has no session nor project).
export function recommendationItem(data, item, anchored) {
  const about = item.session
    ? [" (from ", link(data.paths.session(item.session.slug), quoted(item.session.title)), ")"]
    : item.project ? [" (about ", link(data.paths.project(item.project.slug), item.project.name), ")"] : [];
  return element("li", { id: anchored ? "recommendation-" + item.slug : null, "data-slug": item.slug }, [
    item.url ? element("a", { href: item.url }, [element("strong", { text: item.title })])
      : element("strong", { text: item.title }),
    item.reason ? element("span", { class: "reason", text: " — " + item.reason }) : null,
    element("span", { class: "muted" }, about),
  ]);
}

export function recommendationsSection(data) {
  const section = element("section", { id: "recommendations", "aria-labelledby": "recommendations-title" }, [
    element("h2", { id: "recommendations-title", text: "Recommendations" }),
  ]);
  KINDS.forEach(([kind, title]) => {
    const items = data.recap.recommendations.filter((item) => item.kind === kind);
    if (!items.length) { return; }
    section.append(element("div", { class: "recommendation-kind", "data-kind": kind }, [
      element("h3", { text: title }),
      element("ul", {}, items.map((item) => recommendationItem(data, item, !item.session && !item.project))),
    ]));
  });
  return section;
}
