// The agenda reader: one nested query for everything its views show, then the view, search and
// filters the address names; links, back and forward move between views without reloading.
import { renderList, listStatus } from "./days.js";
import { renderNotFound, renderProject, renderSession, renderTopic } from "./detail_views.js";
import { byId, clear, show } from "./elements.js";
import { fillFilters, readControls, sessionFilter, syncControls } from "./filters.js";
import { graphql } from "./graphql.js";
import { renderMasthead, renderNoRecap, renderRecaps, watchMasthead } from "./masthead.js";
import { hideProblem, setBusy, setStatus, showProblem, watchRetry } from "./page_state.js";
import { indexRecap } from "./recap_data.js";
import { followLinks, hrefOf, isListView, navigate, replaceAddress, routeOf } from "./routes.js";
import { createSearch, renderResults } from "./search.js";

// One recap's agenda, the default one unless the address names another (tests/schema/test_cost.py reads it).
var AGENDA = [
  "query Agenda($recap: String) {",
  "  recaps(first: 100) { totalCount nodes { slug event city startDate } }",
  "  recap(slug: $recap) { slug title event city country startDate endDate verdict notes { text }",
  "    days { date title sessions { slug title kind summary topics speakers organizations verdict",
  "      notes { text } projects { slug name } recommendations { slug kind title } } }",
  "    recommendations { slug kind title reason url session { slug title } project { slug name } }",
  "    projects(first: 100) { totalCount nodes { slug name category description topics } }",
  "    topics { slug name description } }",
  "}",
].join("\n");
const RENDERERS = { session: renderSession, project: renderProject, topic: renderTopic };

const state = { route: null, defaultSlug: null, recaps: null, data: null, missing: false, loaded: new Map(),
  sequence: 0, moved: false };
const search = createSearch(() => { render(); searchProblem(); });

function several() {
  return Boolean(state.recaps && state.recaps.totalCount > 1);
}

function searchProblem() {
  const found = search.state;
  if (found.status === "failed") { showProblem(found.problem, search.retry); }
  if (found.status === "loading") { hideProblem(); }
}

function load() {
  const wanted = state.route.recap;
  const cached = state.loaded.get(wanted || state.defaultSlug);
  if (cached) { adopt(cached); return; }
  const sequence = ++state.sequence;
  document.body.setAttribute("data-loaded", "false");
  hideProblem();
  setBusy(true);
  setStatus("Loading the agenda…");
  graphql(AGENDA, { recap: wanted }).then((answer) => {
    if (sequence !== state.sequence) { return; }
    setBusy(false);
    state.recaps = answer.recaps;
    if (!answer.recap) {
      Object.assign(state, { data: null, missing: true });
      renderNoRecap();
      renderRecaps(answer.recaps, null);
      showRoute();
      document.body.setAttribute("data-loaded", "true");
      return;
    }
    const data = indexRecap(answer.recap);
    state.loaded.set(data.slug, data);
    if (wanted === null) { state.defaultSlug = data.slug; }
    adopt(data);
  }).catch((problem) => {
    if (sequence !== state.sequence) { return; }
    setBusy(false);
    setStatus("Could not load the agenda.");
    showProblem(problem, load);
  });
}

function adopt(data) {
  Object.assign(state, { data, missing: false });
  renderMasthead(data.recap);
  renderRecaps(state.recaps, data.slug);
  fillFilters(data);
  // `/#<session-slug>`, the session links of earlier releases: the session's own address now.
  const legacy = location.hash.slice(1);
  if (isListView(state.route) && legacy && data.session(decodeURIComponent(legacy))) {
    navigate(data.paths.session(decodeURIComponent(legacy)), true);
  } else {
    showRoute();
  }
  document.body.setAttribute("data-loaded", "true");
}

// Renders the route, after starting the search it names (whose answer renders again).
function showRoute() {
  const route = state.route;
  if (state.data && isListView(route)) {
    search.run(route.params.q, state.data.slug, route.params.everywhere && several());
  }
  render();
  if (state.moved) { arrive(); }
}

function render() {
  const { route, data } = state;
  syncControls(route.params, data);
  const view = clear(byId("view"));
  if (!data) {
    if (state.missing) {
      document.title = renderNotFound(view, null, route) + " · recapql";
      setStatus("");
    }
    return;
  }
  let heading = null;
  const day = route.view === "day" ? data.day(route.key) : null;
  const thing = RENDERERS[route.view] ? data[route.view](route.key) : null;
  if (isListView(route) && (route.view === "agenda" || day)) {
    const found = search.state;
    const matches = route.params.q && found.text === route.params.q.trim() ? found.matches : null;
    const counts = renderList(view, data, route, sessionFilter(data, route.params, matches));
    renderResults(search, several(), search.more);
    setStatus(found.status === "loading" ? "Searching…" : listStatus(route, counts, day));
    heading = day ? byId("view").querySelector(".view-title").textContent : null;
  } else {
    show(byId("results"), false);
    heading = thing ? RENDERERS[route.view](view, data, thing) : renderNotFound(view, data, route);
    setStatus("");
  }
  document.title = [heading, data.recap.event, "recapql"].filter(Boolean).join(" · ");
}

// After a click on a link: the reader starts at the new view's heading (or the place its # names).
function arrive() {
  state.moved = false;
  const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (target) {
    target.classList.add("targeted");
    target.scrollIntoView();
    return;
  }
  window.scrollTo(0, 0);
  const heading = byId("view").querySelector(".view-title") || byId("title");
  heading.focus({ preventScroll: true });
}

function go(route, how) {
  if (!route) { return; }
  state.route = route;
  state.moved = how === "push" || (how !== "control" && Boolean(location.hash));
  const wanted = route.recap || state.defaultSlug;
  if (!state.data || !wanted || state.data.slug !== wanted) { load(); } else { showRoute(); }
}

// Where the search box and filters lead: the list shown, or, from a session's, project's or
// topic's page, the recap's agenda, searched and filtered.
function listRoute(params) {
  const route = isListView(state.route) ? state.route : { recap: state.route.recap, view: "agenda", key: null };
  return { ...route, params };
}

function watchControls() {
  let timer = null;
  byId("search").addEventListener("input", () => {
    const params = { ...state.route.params, q: byId("search").value };
    if (!isListView(state.route)) {
      navigate(hrefOf(listRoute(params)), false, "control");
      return;
    }
    state.route = listRoute(params);
    replaceAddress(hrefOf(state.route));
    clearTimeout(timer);
    timer = setTimeout(showRoute, 250);
  });
  const moved = () => navigate(hrefOf(listRoute(readControls())), false, "control");
  ["topic", "project", "kind", "search-all"].forEach((id) => byId(id).addEventListener("change", moved));
  byId("controls").addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    showRoute();
  });
  byId("controls").addEventListener("reset", (event) => {
    event.preventDefault();
    const empty = { q: "", topic: "", project: "", kind: "", everywhere: false };
    navigate(hrefOf({ ...state.route, params: empty }), false, "control");
  });
}

function start() {
  byId("title").setAttribute("tabindex", "-1");
  const route = routeOf(location);
  if (route.legacy) {
    // `/?recap=<slug>`, the recap links of earlier releases: the recap's own address now.
    replaceAddress(hrefOf({ ...route, legacy: false }) + location.hash);
  }
  state.route = route;
  state.moved = Boolean(location.hash);  // `#recommendation-…`: the place to show once drawn
  watchRetry();
  watchMasthead();
  watchControls();
  followLinks(go);
  load();
}

start();
