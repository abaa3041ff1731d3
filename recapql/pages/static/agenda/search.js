// Search that shows what it found: the API's ranked hits (sessions, projects, recommendations),
// labelled by type and recap, with the API's snippets and its matched words marked; and the
// slugs of the sessions found, which narrow the day lists below.
import { byId, clear, element, marked, quoted, show } from "./elements.js";
import { graphql } from "./graphql.js";
import { recommendationPath } from "./recap_data.js";
import { pathOf } from "./routes.js";

const PAGE_SIZE = 20;
const PAGE = "totalCount sessionCount projectCount recommendationCount pageInfo { hasNextPage endCursor }" +
  " nodes { score node { __typename" +
  " ... on Session { slug title recap { slug event } }" +
  " ... on Project { slug name recap { slug event } }" +
  " ... on Recommendation { slug title recap { slug event } session { slug } project { slug } } }" +
  " matches { field snippet highlights { start end } } }";
// `$scope`: the recap searched (null: every recap); `$recap`: the recap whose sessions the lists show.
const SEARCH = "query Search($q: String!, $scope: String, $recap: String!) {" +
  ` searchResults(query: $q, recap: $scope, first: ${PAGE_SIZE}) { ${PAGE} }` +
  " sessions: search(query: $q, recap: $recap, types: [SESSION], first: 100) { node { ... on Session { slug } } } }";
const MORE = "query SearchMore($q: String!, $scope: String, $after: String!) {" +
  ` searchResults(query: $q, recap: $scope, first: ${PAGE_SIZE}, after: $after) { ${PAGE} } }`;
const TYPES = { Session: "Session", Project: "Project", Recommendation: "Recommendation" };
const FIELDS = { organizations: "organisations", notes: "note" };

// One search at a time: a newer one makes an older answer moot. `onChange` re-renders.
export function createSearch(onChange) {
  const state = { key: "", text: "", recap: null, scope: null, status: "idle", hits: [], page: null,
    matches: null, problem: null, sequence: 0 };

  function failed(problem) {
    state.status = problem.kind === "refused" ? "refused" : "failed";
    state.problem = problem;
    state.hits = [];
    state.page = null;
    state.matches = null;
    onChange(state);
  }

  function run(text, recap, everywhere, force) {
    const key = JSON.stringify([text.trim(), recap, everywhere]);
    if (key === state.key && !force) { return; }
    Object.assign(state, { key, text: text.trim(), recap, scope: everywhere ? null : recap, problem: null });
    const sequence = ++state.sequence;
    if (!state.text) {
      Object.assign(state, { status: "idle", hits: [], page: null, matches: null });
      onChange(state);
      return;
    }
    state.status = "loading";  // the last results stay on screen, marked busy, until the new ones come
    onChange(state);
    graphql(SEARCH, { q: state.text, scope: state.scope, recap }).then((data) => {
      if (sequence !== state.sequence) { return; }
      Object.assign(state, { status: "done", hits: data.searchResults.nodes, page: data.searchResults,
        matches: new Set(data.sessions.map((hit) => hit.node.slug)) });
      onChange(state);
    }).catch((problem) => { if (sequence === state.sequence) { failed(problem); } });
  }

  function more() {
    const sequence = state.sequence;
    state.status = "more";
    onChange(state);
    graphql(MORE, { q: state.text, scope: state.scope, after: state.page.pageInfo.endCursor }).then((data) => {
      if (sequence !== state.sequence) { return; }
      Object.assign(state, { status: "done", hits: state.hits.concat(data.searchResults.nodes),
        page: data.searchResults });
      onChange(state);
    }).catch((problem) => { if (sequence === state.sequence) { failed(problem); } });
  }

  return { state, run, more, retry: () => run(state.text, state.recap, state.scope === null, true) };
}

function hitPath(node) {
  const recap = node.recap.slug;
  if (node.__typename === "Session") { return pathOf(recap, "session", node.slug); }
  if (node.__typename === "Project") { return pathOf(recap, "project", node.slug); }
  return recommendationPath(recap, node);
}

function hitItem(hit, several) {
  const node = hit.node;
  const name = node.title || node.name;
  // The name matched: mark it in the link itself rather than repeat it as a snippet.
  const named = hit.matches.find((match) => (match.field === "title" || match.field === "name") && match.snippet === name);
  return element("li", { class: "hit", "data-type": node.__typename.toLowerCase(), "data-recap": node.recap.slug,
    "data-slug": node.slug }, [
    element("span", { class: "hit-type", text: TYPES[node.__typename] }),
    element("a", { href: hitPath(node), class: "hit-link" }, [named ? marked(name, named.highlights) : name]),
    several ? element("span", { class: "hit-recap muted", text: " · " + node.recap.event }) : null,
    ...hit.matches.filter((match) => match !== named).map((match) => element("p", { class: "snippet" }, [
      element("span", { class: "field", text: (FIELDS[match.field] || match.field) + ": " }),
      marked(match.snippet, match.highlights),
    ])),
  ]);
}

function plural(count, one) {
  return count + " " + one + (count === 1 ? "" : "s");
}

function summary(page) {
  const parts = [[page.sessionCount, "session"], [page.projectCount, "project"],
    [page.recommendationCount, "recommendation"]].filter(([count]) => count).map(([count, one]) => plural(count, one));
  return parts.join(", ") + ", best first";
}

export function renderResults(search, several, onMore) {
  const state = search.state;
  const section = clear(byId("results"));
  show(section, state.status !== "idle" && state.status !== "failed");
  section.setAttribute("aria-busy", String(state.status === "loading" || state.status === "more"));
  const heading = (text) => element("h2", { id: "results-title", text });
  if (state.status === "loading" && !state.page) {
    section.append(heading("Searching for " + quoted(state.text) + "…"));
  } else if (state.status === "refused") {
    section.append(heading("Cannot search for " + quoted(state.text)),
      element("p", { class: "refused", text: "The API refused it: " + state.problem.message + "." }));
  } else if (state.page && state.page.totalCount === 0) {
    section.append(heading("Nothing matches " + quoted(state.text)),
      element("p", { class: "muted", text: "Search looks through titles, summaries, notes, topics, projects and " +
        "recommendations; try other words, or fewer." }));
  } else if (state.page) {
    section.append(heading(plural(state.page.totalCount, "result") + " for " + quoted(state.text)),
      element("p", { class: "muted", text: summary(state.page) }),
      element("ol", { class: "hits" }, state.hits.map((hit) => hitItem(hit, several))));
    if (state.page.pageInfo.hasNextPage) {
      const more = element("button", { type: "button", class: "more", disabled: state.status === "more",
        text: "Show " + Math.min(PAGE_SIZE, state.page.totalCount - state.hits.length) + " more" });
      more.addEventListener("click", onMore);
      section.append(more);
    }
  }
}
