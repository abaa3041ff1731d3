// The pages of one thing: a session, a project, a topic, each linked to the others both ways,
// and the page saying plainly what was not found.
import { dateElement } from "./dates.js";
import { element, link, quoted, words } from "./elements.js";
import { recommendationItem } from "./recommendations.js";
import { kindBadge, projectChips, sessionDetails, topicLinks } from "./sessions.js";

function breadcrumb(data, ...steps) {
  const trail = element("ol", {}, [element("li", {}, [link(data.paths.recap(), data.recap.event)])]);
  steps.forEach((step, position) => {
    const last = position === steps.length - 1;
    trail.append(element("li", {}, [last ? element("span", { "aria-current": "page" }, [step]) : step]));
  });
  return element("nav", { class: "breadcrumb", "aria-label": "Breadcrumb" }, [trail]);
}

function title(text, ...before) {
  return element("h2", { class: "view-title", tabindex: "-1" }, [...before, element("span", { text })]);
}

function sessionList(data, sessions) {
  return element("ul", { class: "linked-sessions" }, sessions.map((session) => element("li", {
    "data-slug": session.slug }, [
    link(data.paths.session(session.slug), session.title),
    element("span", { class: "muted" }, [" · ", words(session.kind), " · ",
      element("a", { href: data.paths.day(session.day.date) }, [dateElement(session.day.date)])]),
  ])));
}

export function renderSession(view, data, session) {
  view.append(
    breadcrumb(data, element("a", { href: data.paths.day(session.day.date) }, [dateElement(session.day.date)]),
      session.title),
    element("article", { class: "session session-page", "data-slug": session.slug }, [
      title(session.title, kindBadge(session.kind), " "),
      element("p", { class: "muted" }, [dateElement(session.day.date), " · " + session.day.title]),
      topicLinks(data, session.topics),
      sessionDetails(data, session, 3, true),
    ]),
  );
  return session.title;
}

export function renderProject(view, data, project) {
  const sessions = data.sessionsOfProject(project.slug);
  const recommendations = data.recommendationsOfProject(project.slug);
  view.append(
    breadcrumb(data, project.name),
    element("article", { class: "project-page", "data-slug": project.slug }, [
      title(project.name),
      element("p", { class: "muted", text: words(project.category) }),
      project.description ? element("p", { class: "description", text: project.description }) : null,
      project.topics.length ? topicLinks(data, project.topics) : null,
      element("h3", { text: sessions.length === 1 ? "In 1 session" : "In " + sessions.length + " sessions" }),
      sessions.length ? sessionList(data, sessions)
        : element("p", { class: "muted", text: "No session of this recap mentions it." }),
      element("h3", { text: "Recommendations" }),
      recommendations.length ? element("ul", { class: "project-recommendations" },
        recommendations.map((item) => recommendationItem(data, item, !item.session)))
        : element("p", { class: "muted", text: "The recap recommends nothing about it." }),
    ]),
  );
  return project.name;
}

export function renderTopic(view, data, topic) {
  const sessions = data.sessionsOfTopic(topic);
  const projects = data.projectsOfTopic(topic);
  view.append(
    breadcrumb(data, "Topic: " + topic.name),
    element("article", { class: "topic-page", "data-slug": topic.slug }, [
      title(topic.name, element("span", { class: "kind", text: "topic" }), " "),
      topic.description ? element("p", { class: "description", text: topic.description }) : null,
      element("h3", { text: "Sessions (" + sessions.length + ")" }),
      sessions.length ? sessionList(data, sessions)
        : element("p", { class: "muted", text: "No session is on this topic." }),
      element("h3", { text: "Projects (" + projects.length + ")" }),
      projects.length ? projectChips(data, projects)
        : element("p", { class: "muted", text: "No project is on this topic." }),
    ]),
  );
  return topic.name;
}

const WHAT = { day: "day", session: "session", project: "project", topic: "topic" };

// `data` null: the recap itself is not there.
export function renderNotFound(view, data, route) {
  const sentence = data ? `There is no ${WHAT[route.view]} ${quoted(route.key)} in ${data.recap.event}.`
    : `There is no recap ${quoted(route.recap)} here.`;
  view.append(element("section", { class: "not-found", "aria-labelledby": "not-found-title" }, [
    element("h2", { id: "not-found-title", class: "view-title", tabindex: "-1", text: "Not found" }),
    element("p", { text: sentence }),
    element("p", {}, [
      data ? link(data.paths.recap(), "The agenda of " + data.recap.event) : null,
      data ? " · " : null,
      link("/", "Back to the start"),
    ]),
  ]));
  return "Not found";
}
