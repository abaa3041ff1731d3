// Where the reader is: the agenda's paths and query string, read and written through the History API.
// Links stay real <a href>s (middle click, "copy link address"); a plain click on one of the
// agenda's own paths is kept in the page (pushState), and back and forward come back as popstate.

const KIND_OF_SEGMENT = { days: "day", sessions: "session", projects: "project", topics: "topic" };
const SEGMENT_OF_KIND = { day: "days", session: "sessions", project: "projects", topic: "topics" };

function decoded(segment) {
  try { return decodeURIComponent(segment); } catch (error) { return segment; }
}

function paramsOf(search) {
  const query = new URLSearchParams(search);
  return {
    q: query.get("q") || "",
    topic: query.get("topic") || "",
    project: query.get("project") || "",
    kind: (query.get("kind") || "").toLowerCase(),
    everywhere: query.get("recaps") === "all",
  };
}

// A route: the recap (null: the default one, at `/`), the view ("agenda", "day", "session",
// "project", "topic"), its key (a date or a slug) and the search and filters. Null for a path
// that is not the agenda's (GraphiQL, a document, a calendar, the pictures).
export function routeOf(url) {
  const segments = url.pathname.split("/").filter(Boolean).map(decoded);
  const params = paramsOf(url.search);
  if (segments.length === 0) {
    const legacy = new URLSearchParams(url.search).get("recap");
    return { recap: legacy || null, view: "agenda", key: null, params, legacy: Boolean(legacy) };
  }
  if (segments[0] !== "recaps") { return null; }
  if (segments.length === 2) { return { recap: segments[1], view: "agenda", key: null, params }; }
  if (segments.length === 4 && KIND_OF_SEGMENT[segments[2]]) {
    return { recap: segments[1], view: KIND_OF_SEGMENT[segments[2]], key: segments[3], params };
  }
  return null;
}

export function pathOf(recap, view, key) {
  const base = "/recaps/" + encodeURIComponent(recap);
  return view === "agenda" ? base : `${base}/${SEGMENT_OF_KIND[view]}/${encodeURIComponent(key)}`;
}

export function queryOf(params) {
  const query = new URLSearchParams();
  if (params.q) { query.set("q", params.q); }
  if (params.topic) { query.set("topic", params.topic); }
  if (params.project) { query.set("project", params.project); }
  if (params.kind) { query.set("kind", params.kind); }
  if (params.everywhere) { query.set("recaps", "all"); }
  const text = query.toString();
  return text ? "?" + text : "";
}

export function hrefOf(route) {
  const path = route.recap === null ? "/" : pathOf(route.recap, route.view, route.key);
  return path + queryOf(route.params);
}

export function isListView(route) {
  return route.view === "agenda" || route.view === "day";
}

let listener = () => {};

// `how` tells the listener why: "push" (a link: the reader moves to the new view), "replace", or
// "control" (a search box or filter changed: the focus stays where the reader is).
export function navigate(href, replace, how) {
  if (replace) { history.replaceState(null, "", href); } else { history.pushState(null, "", href); }
  listener(routeOf(location), how || (replace ? "replace" : "push"));
}

// While typing: the address follows the search box, one history entry for the whole word.
export function replaceAddress(href) {
  history.replaceState(null, "", href);
}

function ownLink(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return null;
  }
  const anchor = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (!anchor || (anchor.target && anchor.target !== "_self") || anchor.hasAttribute("download")) { return null; }
  const url = new URL(anchor.href);
  if (url.origin !== location.origin || routeOf(url) === null) { return null; }
  // A link to a place on this very page is the browser's to follow.
  if (url.pathname === location.pathname && url.search === location.search && url.hash) { return null; }
  return url;
}

export function followLinks(onRoute) {
  listener = onRoute;
  window.addEventListener("popstate", () => onRoute(routeOf(location), "pop"));
  document.addEventListener("click", (event) => {
    const url = ownLink(event);
    if (!url) { return; }
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash, false);
  });
}
