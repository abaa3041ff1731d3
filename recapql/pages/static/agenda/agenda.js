// The agenda: one nested query for everything shown, then the API's search for the search box.
(function () {
  "use strict";

  // One recap's agenda: the one in the address (?recap=slug), else the store's default one.
  var AGENDA = [
    "query Agenda($recap: String) {",
    "  recaps(first: 100) { totalCount nodes { slug event city startDate } }",
    "  recap(slug: $recap) { slug title event city country startDate endDate verdict",
    "    days { date title sessions { slug title kind summary topics speakers organizations verdict",
    "      notes { text } projects { slug name } recommendations { slug kind title } } }",
    "    recommendations { slug kind title reason session { slug title } project { slug name } }",
    "    topics { name } }",
    "}",
  ].join("\n");
  // Where a session's facts come from: asked for when a reader opens "From the recap".
  var SOURCES = "query Sources($recap: String!, $slug: String!) { recap(slug: $recap) { session(slug: $slug) {" +
    " source { line quote url } summarySource { line quote url } notes { source { line quote url } }" +
    " missing { field reason } } } }";
  var SEARCH = "query Search($q: String!, $recap: String) { search(query: $q, first: 100, recap: $recap) {" +
    " node { __typename ... on Session { slug title recap { slug event } }" +
    " ... on Project { slug name recap { slug event } } ... on Recommendation { slug title recap { slug event } } } } }";
  var KINDS = [
    ["BUZZWORD", "Buzzwords"],
    ["WATCH", "Talks to watch"],
    ["READ", "To read"],
    ["EXPLORE", "To explore"],
    ["PRACTICE", "To practise"],
  ];

  var state = { data: null, matches: null, searchSeq: 0, recap: new URLSearchParams(location.search).get("recap") };
  var byId = function (id) { return document.getElementById(id); };

  function graphql(query, variables) {
    return fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
      body: JSON.stringify({ query: query, variables: variables || null }),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (body.errors) { throw new Error(body.errors.map(function (e) { return e.message; }).join("; ")); }
        return body.data;
      });
    });
  }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") { node.textContent = attributes[name]; } else { node.setAttribute(name, attributes[name]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function label(kind) { return kind.replace(/_/g, " ").toLowerCase(); }

  function sourceItem(label, source) {
    // Where a text comes from: the words and line of the original, or the curator's own words.
    return element("li", {}, [
      element("a", { href: source.url, text: label + ", line " + source.line }),
      source.quote ? element("span", { class: "quote", text: ": “" + source.quote + "”" })
        : element("span", { class: "curator", text: ": in the curator's own words" }),
    ]);
  }

  function sourcesOf(session) {
    var list = element("ul", { class: "sources", hidden: "" }, []);
    var toggle = element("button", { class: "source-toggle", type: "button", "aria-expanded": "false",
      text: "From the recap" });
    var loaded = false;
    function fill(found) {
      var items = [sourceItem("Title", found.source)];
      if (found.summarySource) { items.push(sourceItem("Summary", found.summarySource)); }
      found.notes.forEach(function (note, number) { items.push(sourceItem("Note " + (number + 1), note.source)); });
      found.missing.forEach(function (item) {
        items.push(element("li", { class: "curator", text: "Not given: " + item.field + ". " + item.reason }));
      });
      items.forEach(function (item) { list.appendChild(item); });
      loaded = true;
    }
    toggle.addEventListener("click", function () {
      var show = list.hasAttribute("hidden");
      if (show) { list.removeAttribute("hidden"); } else { list.setAttribute("hidden", ""); }
      toggle.setAttribute("aria-expanded", String(show));
      if (show && !loaded) {
        graphql(SOURCES, { recap: state.data.slug, slug: session.slug }).then(function (data) {
          fill(data.recap.session);
        }).catch(function (error) { list.appendChild(element("li", { text: "Could not load: " + error.message })); });
      }
    });
    return [toggle, list];
  }

  function sessionCard(session) {
    var sources = sourcesOf(session);
    var details = element("div", { class: "details", hidden: "" }, [
      session.summary ? element("p", { class: "summary", text: session.summary }) : null,
      session.notes.length ? element("h4", { text: "Notes" }) : null,
      session.notes.length ? element("ul", { class: "takeaways" },
        session.notes.map(function (note) { return element("li", { text: note.text }); })) : null,
      session.verdict ? element("p", { class: "verdict", text: "Verdict: " + session.verdict }) : null,
      session.speakers.length ? element("p", { class: "muted", text: "Speakers: " + session.speakers.join(", ") }) : null,
      session.projects.length ? element("h4", { text: "Projects" }) : null,
      session.projects.length ? element("ul", { class: "chips projects" },
        session.projects.map(function (p) { return element("li", { text: p.name, "data-project": p.slug }); })) : null,
      session.recommendations.length ? element("h4", { text: "Recommendations" }) : null,
      session.recommendations.length ? element("ul", { class: "recommendations-of-session" },
        session.recommendations.map(function (r) { return element("li", { text: r.title + " (" + label(r.kind) + ")" }); })) : null,
      sources[0],
      sources[1],
    ]);
    var button = element("button", { class: "session-title", type: "button", "aria-expanded": "false" }, [
      element("span", { class: "kind", text: label(session.kind) }),
      element("span", { class: "name", text: session.title }),
    ]);
    button.addEventListener("click", function () {
      var open = details.hasAttribute("hidden");
      if (open) { details.removeAttribute("hidden"); } else { details.setAttribute("hidden", ""); }
      button.setAttribute("aria-expanded", String(open));
    });
    return element("li", { class: "session", "data-slug": session.slug }, [
      button,
      element("p", { class: "topics muted", text: session.topics.join(" · ") }),
      details,
    ]);
  }

  function visible(session) {
    var topic = byId("topic").value;
    var project = byId("project").value;
    if (topic && session.topics.indexOf(topic) < 0) { return false; }
    if (project && !session.projects.some(function (p) { return p.slug === project; })) { return false; }
    if (state.matches && !state.matches.has(session.slug)) { return false; }
    return true;
  }

  function renderDays() {
    var container = byId("days");
    container.textContent = "";
    var shown = 0;
    state.data.days.forEach(function (day) {
      var sessions = day.sessions.filter(visible);
      shown += sessions.length;
      container.appendChild(element("section", { class: "day", "data-day": day.date }, [
        element("h2", {}, [
          element("time", { datetime: day.date, text: day.date }),
          element("span", { class: "day-title", text: " " + day.title }),
          element("span", { class: "count muted", text: " · " + sessions.length + " of " + day.sessions.length + " sessions" }),
        ]),
        element("ul", { class: "sessions" }, sessions.map(sessionCard)),
      ]));
    });
    var total = state.data.days.reduce(function (n, day) { return n + day.sessions.length; }, 0);
    byId("status").textContent = shown === total ? total + " sessions over " + state.data.days.length + " days"
      : shown + " of " + total + " sessions shown";
  }

  function renderRecommendations() {
    var section = byId("recommendations");
    KINDS.forEach(function (pair) {
      var items = state.data.recommendations.filter(function (r) { return r.kind === pair[0]; });
      if (!items.length) { return; }
      section.appendChild(element("div", { class: "recommendation-kind", "data-kind": pair[0] }, [
        element("h3", { text: pair[1] }),
        element("ul", {}, items.map(function (r) {
          var about = r.session ? "from “" + r.session.title + "”" : r.project ? "about " + r.project.name : "";
          return element("li", {}, [
            element("strong", { text: r.title }),
            r.reason ? element("span", { class: "muted", text: " — " + r.reason }) : null,
            about ? element("span", { class: "muted", text: " (" + about + ")" }) : null,
          ]);
        })),
      ]));
    });
  }

  function fillFilters() {
    state.data.topics.forEach(function (topic) {
      byId("topic").appendChild(element("option", { value: topic.name, text: topic.name }));
    });
    var projects = {};
    state.data.days.forEach(function (day) {
      day.sessions.forEach(function (s) { s.projects.forEach(function (p) { projects[p.slug] = p.name; }); });
    });
    Object.keys(projects).sort(function (a, b) { return projects[a].localeCompare(projects[b]); }).forEach(function (slug) {
      byId("project").appendChild(element("option", { value: slug, text: projects[slug] }));
    });
  }

  function renderRecaps(recaps) {
    var nav = byId("recaps");
    if (recaps.totalCount < 2) { return; }  // one recap: nothing to choose between
    nav.removeAttribute("hidden");
    byId("search-all-label").removeAttribute("hidden");
    nav.appendChild(element("h2", { class: "recaps-title", text: recaps.totalCount + " recaps" }));
    nav.appendChild(element("ul", { class: "chips recap-list" }, recaps.nodes.map(function (recap) {
      var current = recap.slug === state.data.slug;
      var link = element("a", { href: "/?recap=" + encodeURIComponent(recap.slug), "data-recap": recap.slug,
        text: recap.event + " · " + recap.city + " · " + recap.startDate.slice(0, 4) });
      if (current) { link.setAttribute("aria-current", "page"); }
      return element("li", {}, [link]);
    })));
  }

  function renderOtherHits(hits) {
    // Search over every recap: what the other recaps hold is listed, each linking to its recap.
    var results = byId("results");
    results.textContent = "";
    var others = hits.filter(function (hit) { return hit.node.recap.slug !== state.data.slug; });
    if (!others.length) { results.setAttribute("hidden", ""); return; }
    results.removeAttribute("hidden");
    results.appendChild(element("h2", { text: "In other recaps" }));
    results.appendChild(element("ul", {}, others.map(function (hit) {
      var node = hit.node;
      return element("li", { class: "hit", "data-recap": node.recap.slug }, [
        element("a", { href: "/?recap=" + encodeURIComponent(node.recap.slug), text: node.title || node.name }),
        element("span", { class: "muted", text: " (" + label(node.__typename) + ", " + node.recap.event + ")" }),
      ]);
    })));
  }

  function search(text) {
    var sequence = ++state.searchSeq;
    var everywhere = byId("search-all").checked;
    if (!text.trim()) { state.matches = null; renderOtherHits([]); renderDays(); return; }
    graphql(SEARCH, { q: text, recap: everywhere ? null : state.data.slug }).then(function (data) {
      if (sequence !== state.searchSeq) { return; }  // a newer search has started
      state.matches = new Set(data.search
        .filter(function (hit) { return hit.node.__typename === "Session" && hit.node.recap.slug === state.data.slug; })
        .map(function (hit) { return hit.node.slug; }));
      renderOtherHits(everywhere ? data.search : []);
      renderDays();
    }).catch(function (error) { byId("status").textContent = "Search failed: " + error.message; });
  }

  function start() {
    graphql(AGENDA, { recap: state.recap }).then(function (data) {
      if (!data.recap) { throw new Error("there is no recap '" + state.recap + "' here"); }
      state.data = data.recap;
      byId("title").textContent = data.recap.event;
      document.title = data.recap.event + " · recapql";
      byId("subtitle").textContent = data.recap.city + ", " + data.recap.country + " · " +
        data.recap.startDate + " to " + data.recap.endDate;
      // The recap shown, as an iCalendar file: one event per session (docs/api.md, "A recap's calendar").
      var calendarLink = byId("calendar-link");
      calendarLink.setAttribute("href", "/recaps/" + encodeURIComponent(data.recap.slug) + "/calendar.ics");
      calendarLink.setAttribute("title", "The sessions of " + data.recap.event + " as an iCalendar file");
      calendarLink.removeAttribute("hidden");
      renderRecaps(data.recaps);
      fillFilters();
      renderDays();
      renderRecommendations();
      document.body.setAttribute("data-loaded", "true");
    }).catch(function (error) { byId("status").textContent = "Could not load the agenda: " + error.message; });
    var timer = null;
    byId("search").addEventListener("input", function (event) {
      clearTimeout(timer);
      var text = event.target.value;
      timer = setTimeout(function () { search(text); }, 200);
    });
    byId("search-all").addEventListener("change", function () { search(byId("search").value); });
    byId("topic").addEventListener("change", renderDays);
    byId("project").addEventListener("change", renderDays);
    byId("controls").addEventListener("submit", function (event) { event.preventDefault(); });
    byId("controls").addEventListener("reset", function () {
      setTimeout(function () { state.matches = null; state.searchSeq++; renderOtherHits([]); renderDays(); }, 0);
    });
  }

  start();
})();
