// What the pictures draw, asked of /graphql in two queries: the recap's outline, then the counts.
// Counts come from the API's facets (computed over every session, however many), so a store of
// 15,000 sessions costs the same two small answers as the 24-session recap; what is drawn is capped.
import { graphql } from "./api.js";

// One alias per day in the counts query, and the API allows 15 aliases (one more is the sessions list).
export const MAX_DAYS = 14;
export const MAX_TOPICS = 60;
// All projects when the recap names at most this many, else those named in two or more sessions.
export const MAX_PROJECTS = 50;
export const MAX_SESSIONS = 40;
// The most topic counts one facet returns per day (the API's maximum for `first`).
const TOPICS_PER_DAY = 100;

const OUTLINE = `query PicturesOutline($recap: String!, $projects: Int!) {
  recap(slug: $recap) {
    slug
    event
    days { date title }
    topics { slug name }
    sessions(first: 1) { totalCount facets { projects(first: $projects) { value count } } }
    projects(first: $projects, orderBy: { field: SESSION_COUNT, direction: DESC }) { totalCount nodes { slug name } }
  }
}`;

function countsQuery(days, withSessions) {
  const parameters = ["$recap: String!"];
  const fields = [];
  for (let number = 0; number < days; number += 1) {
    parameters.push(`$d${number}: Date!`);
    fields.push(`d${number}: sessions(filter: { day: $d${number} }, first: 1) {` +
      ` totalCount facets { topics(first: ${TOPICS_PER_DAY}) { value count } } }`);
  }
  if (withSessions) {
    parameters.push("$projects: [String!]!", "$first: Int!");
    fields.push("named: sessions(filter: { projects: $projects }, first: $first) {" +
      " totalCount nodes { slug title day { date } projects { slug } } }");
  }
  return `query PicturesCounts(${parameters.join(", ")}) {\n  recap(slug: $recap) {\n    ${fields.join("\n    ")}\n  }\n}`;
}

/** The projects worth a row, most-named first, each with how many sessions name it. */
function chosenProjects(outline) {
  const total = outline.projects.totalCount;
  const facets = outline.sessions.facets.projects;
  const named = new Map(facets.map((facet) => [facet.value, facet.count]));
  // Both lists are ordered by the same count, ties differently (slug, name): a project of the page
  // missing from a full facet list is tied with its last value; from a short list, named nowhere.
  const boundary = facets.length < MAX_PROJECTS ? 0 : facets[facets.length - 1].count;
  const least = total <= MAX_PROJECTS ? 1 : 2;
  const listed = outline.projects.nodes.map((project) => ({
    slug: project.slug,
    name: project.name,
    sessions: named.has(project.slug) ? named.get(project.slug) : boundary,
  }));
  return { total, least, drawn: listed.filter((project) => project.sessions >= least) };
}

function topicsByDay(outline, days, counts) {
  const bySlug = new Map(outline.topics.map((topic) => [topic.name.toLowerCase(), topic.slug]));
  const rows = new Map();
  let cut = false;
  days.forEach((day, column) => {
    const facet = counts[`d${column}`].facets.topics;
    if (facet.length === TOPICS_PER_DAY) cut = true;
    for (const { value, count } of facet) {
      if (!rows.has(value)) {
        rows.set(value, { name: value, slug: bySlug.get(value.toLowerCase()) || null, counts: days.map(() => 0), total: 0 });
      }
      const row = rows.get(value);
      row.counts[column] = count;
      row.total += count;
    }
  });
  // The first day a topic comes up, then the busiest, then by name: the rows read as the week went.
  const first = (row) => row.counts.findIndex((count) => count > 0);
  const byTotal = [...rows.values()].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  const kept = new Set(byTotal.slice(0, MAX_TOPICS));
  const drawn = byTotal.filter((row) => kept.has(row))
    .sort((a, b) => first(a) - first(b) || b.total - a.total || a.name.localeCompare(b.name));
  return {
    recapTopics: outline.topics.length,
    days: days.map((day, column) => ({ ...day, sessions: counts[`d${column}`].totalCount })),
    daysLeftOut: outline.days.length - days.length,
    rows: drawn,
    rowsLeftOut: rows.size - drawn.length,
    quiet: Math.max(0, outline.topics.length - rows.size),
    cut,
  };
}

function projectsBySession(outline, chosen, counts) {
  const named = counts.named || { totalCount: 0, nodes: [] };
  return {
    total: chosen.total,
    least: chosen.least,
    rows: chosen.drawn,
    sessions: named.nodes.map((session) => ({
      slug: session.slug,
      title: session.title,
      date: session.day.date,
      projects: new Set(session.projects.map((project) => project.slug)),
    })),
    naming: named.totalCount,
    sessionsTotal: outline.sessions.totalCount,
    dayTitles: new Map(outline.days.map((day) => [day.date, day.title])),
  };
}

/** Both pictures' numbers for the recap `slug`, or null when the API holds no such recap. */
export async function loadPictures(slug) {
  const outline = (await graphql(OUTLINE, { recap: slug, projects: MAX_PROJECTS })).recap;
  if (!outline) return null;
  const days = outline.days.slice(0, MAX_DAYS);
  const chosen = chosenProjects(outline);
  const variables = { recap: slug };
  days.forEach((day, number) => { variables[`d${number}`] = day.date; });
  // An empty `projects` filter is no condition at all: without projects to draw, ask for no sessions.
  if (chosen.drawn.length) {
    variables.projects = chosen.drawn.map((project) => project.slug);
    variables.first = MAX_SESSIONS;
  }
  const counts = (await graphql(countsQuery(days.length, chosen.drawn.length > 0), variables)).recap;
  if (!counts) return null; // the server was restarted on another store between the two queries
  return {
    slug: outline.slug,
    event: outline.event,
    topics: topicsByDay(outline, days, counts),
    projects: projectsBySession(outline, chosen, counts),
  };
}
