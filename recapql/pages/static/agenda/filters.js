// The search box and filters: offered from the recap shown, written from and read into the
// address's query string (`q`, `topic`, `project`, `kind`, `recaps=all`), and applied to sessions.
import { byId, element, words } from "./elements.js";

// Keeps the select's first option ("All topics"…), and offers `values` ([value, text] pairs) after it.
function options(select, values) {
  select.replaceChildren(select.options[0], ...values.map(([value, text]) => element("option", { value, text })));
}

export function fillFilters(data) {
  options(byId("topic"), data.recap.topics.map((topic) => [topic.slug, topic.name]));
  options(byId("project"), data.mentionedProjects.map((project) => [project.slug, project.name]));
  const kinds = [...new Set(data.sessions.map((session) => session.kind))];
  options(byId("kind"), kinds.map((kind) => [kind.toLowerCase(), words(kind)]));
}

// A topic in the address may be a slug or a name (any case); the select holds slugs.
export function topicSlug(data, value) {
  if (!value || !data) { return value; }
  const topic = data.topic(value) || data.topicNamed(value);
  return topic ? topic.slug : value;
}

export function syncControls(params, data) {
  const search = byId("search");
  if (search.value !== params.q) { search.value = params.q; }
  byId("topic").value = topicSlug(data, params.topic);
  byId("project").value = params.project;
  byId("kind").value = params.kind;
  byId("search-all").checked = params.everywhere;
}

export function readControls() {
  return {
    q: byId("search").value,
    topic: byId("topic").value,
    project: byId("project").value,
    kind: byId("kind").value,
    everywhere: byId("search-all").checked,
  };
}

// `matches`: the slugs the search found in this recap (null: no search).
export function sessionFilter(data, params, matches) {
  const topic = params.topic ? data.topic(topicSlug(data, params.topic)) : null;
  return (session) => {
    if (params.topic && !(topic && session.topics.some((name) => name.toLowerCase() === topic.name.toLowerCase()))) {
      return false;
    }
    if (params.project && !session.projects.some((project) => project.slug === params.project)) { return false; }
    if (params.kind && session.kind.toLowerCase() !== params.kind) { return false; }
    return !matches || matches.has(session.slug);
  };
}

export function filtered(params) {
  return Boolean(params.topic || params.project || params.kind);
}
