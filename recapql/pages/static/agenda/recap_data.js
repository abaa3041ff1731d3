// One recap as the agenda's query gave it, with the lookups each view needs: every page of the
// reader is drawn from this one answer (a project's page, a topic's page, a day, a session).
import { pathOf } from "./routes.js";

function groups(items, keysOf) {
  const found = new Map();
  items.forEach((item) => keysOf(item).forEach((key) => {
    if (!found.has(key)) { found.set(key, []); }
    if (!found.get(key).includes(item)) { found.get(key).push(item); }
  }));
  return found;
}

export function indexRecap(recap) {
  const sessions = recap.days.flatMap((day) => day.sessions.map((session) => ({ ...session, day })));
  const projects = recap.projects.nodes;
  const topicByName = new Map(recap.topics.map((topic) => [topic.name.toLowerCase(), topic]));
  const sessionsByProject = groups(sessions, (session) => session.projects.map((project) => project.slug));
  const sessionsByTopic = groups(sessions, (session) => session.topics.map((name) => name.toLowerCase()));
  const projectsByTopic = groups(projects, (project) => project.topics.map((name) => name.toLowerCase()));
  const byProject = groups(recap.recommendations, (item) => (item.project ? [item.project.slug] : []));
  const slug = recap.slug;
  return {
    slug,
    recap,
    sessions,
    projects,
    days: recap.days,
    // Every project some session mentions, by name: what the project filter offers.
    mentionedProjects: [...new Map(sessions.flatMap((session) => session.projects).map((p) => [p.slug, p])).values()]
      .sort((a, b) => a.name.localeCompare(b.name)),
    session: (key) => sessions.find((session) => session.slug === key) || null,
    project: (key) => projects.find((project) => project.slug === key) || null,
    topic: (key) => recap.topics.find((topic) => topic.slug === key) || null,
    topicNamed: (name) => topicByName.get(name.toLowerCase()) || null,
    day: (date) => recap.days.find((day) => day.date === date) || null,
    sessionsOfProject: (key) => sessionsByProject.get(key) || [],
    sessionsOfTopic: (topic) => sessionsByTopic.get(topic.name.toLowerCase()) || [],
    projectsOfTopic: (topic) => projectsByTopic.get(topic.name.toLowerCase()) || [],
    recommendationsOfProject: (key) => byProject.get(key) || [],
    recommendation: (key) => recap.recommendations.find((item) => item.slug === key) || null,
    paths: {
      recap: () => pathOf(slug, "agenda"),
      day: (date) => pathOf(slug, "day", date),
      session: (key) => pathOf(slug, "session", key),
      project: (key) => pathOf(slug, "project", key),
      topic: (name) => {
        const topic = topicByName.get(name.toLowerCase());
        return topic ? pathOf(slug, "topic", topic.slug) : null;
      },
    },
  };
}

// Where a recommendation is shown: under its session, else its project, else the agenda's list.
export function recommendationPath(recapSlug, item) {
  const where = item.session ? pathOf(recapSlug, "session", item.session.slug)
    : item.project ? pathOf(recapSlug, "project", item.project.slug) : pathOf(recapSlug, "agenda");
  return where + "#recommendation-" + encodeURIComponent(item.slug);
}
