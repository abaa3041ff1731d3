// Projects × sessions: a matrix with a row per project, a column per session (in recap order,
// grouped by day), and a dot where the session names the project.
import { fittedText, html, svg, svgLink, tooltip } from "./elements.js";
import { chart, leftOut, nothingToDraw, numbersTable, pictureSection, tableToggle } from "./figure.js";
import { dayUrl, projectUrl, sessionUrl } from "./links.js";
import { MAX_PROJECTS } from "./counts.js";
import { dayAndMonth, humanDate, plural, shortDate } from "./words.js";

const ID = "projects-by-session";
const HEADING = "Projects across the sessions";
const ROW = 22;
const COLUMN = 22;
const DAYS_BAND = 26;
const CHAR = 7;
const TITLE_CHARS = 34;
const TITLE_CHAR = 6.2; // the column titles are smaller (12 px)
// Column titles slant up to the right at 60°: their height and their reach past the last column.
const SLANT = Math.PI / 3;

function layout(model, available) {
  const count = String(model.rows[0].sessions).length; // the first row is the most named
  const longest = Math.max(...model.rows.map((row) => row.name.length)) + count + 2;
  const label = Math.round(Math.min(Math.max(longest * CHAR + 16, 120), 260, Math.max(150, available * 0.45)));
  const title = Math.max(...model.sessions.map((session) => Math.min(session.title.length, TITLE_CHARS))) * TITLE_CHAR + 8;
  const header = Math.ceil(title * Math.sin(SLANT)) + 8;
  const reach = Math.ceil(title * Math.cos(SLANT));
  const grid = header + DAYS_BAND;
  return {
    label, header, grid, title,
    chars: Math.floor((label - 16) / CHAR) - count - 1,
    width: label + model.sessions.length * COLUMN + reach,
    height: grid + model.rows.length * ROW + 4,
  };
}

/** The runs of consecutive columns on the same day: [{date, first, count}]. */
function dayRuns(sessions) {
  const runs = [];
  sessions.forEach((session, column) => {
    const last = runs[runs.length - 1];
    if (last && last.date === session.date) last.count += 1;
    else runs.push({ date: session.date, first: column, count: 1 });
  });
  return runs;
}

function days(recap, model, size) {
  const bands = [];
  const links = [];
  dayRuns(model.sessions).forEach((run, number) => {
    const x = size.label + run.first * COLUMN;
    const width = run.count * COLUMN;
    bands.push(svg("rect", {
      class: `day-band day-band-${number % 2}`, x, y: size.header, width, height: size.height - size.header - 4,
    }));
    const words = width >= 76 ? shortDate(run.date) : width >= 42 ? dayAndMonth(run.date) : "";
    const title = model.dayTitles.get(run.date);
    const name = `${humanDate(run.date)}${title ? ` (${title})` : ""}, ${plural(run.count, "session")} drawn`;
    const box = { x: x + 1, y: size.header + 2, width: width - 2, height: DAYS_BAND - 4 };
    links.push(svgLink(dayUrl(recap, run.date), name, box, [
      svg("text", { class: "day-label", x: x + width / 2, y: size.header + 17, "text-anchor": "middle", text: words }),
    ]));
  });
  return { bands, links };
}

function columnTitles(recap, model, size) {
  return model.sessions.map((session, column) => {
    const x = size.label + column * COLUMN + COLUMN / 2 + 4;
    const box = { x: -3, y: -13, width: size.title, height: 17 };
    const link = svgLink(sessionUrl(recap, session.slug), session.title, box, [
      fittedText({ class: "column-title", x: 0, y: 0 }, session.title, TITLE_CHARS, TITLE_CHAR),
    ]);
    // A presentation attribute, not a style: the page's CSP allows it.
    link.setAttribute("transform", `translate(${x} ${size.header - 6}) rotate(-60)`);
    return link;
  });
}

function rowLabels(recap, model, size) {
  return model.rows.map((row, number) => {
    const y = size.grid + number * ROW;
    const name = `${row.name}, ${plural(row.sessions, "session")}`;
    const box = { x: 2, y: y + 1, width: size.label - 6, height: ROW - 2 };
    return svgLink(projectUrl(recap, row.slug), name, box, [
      fittedText({ class: "row-label", x: 8, y: y + ROW / 2 + 5 }, row.name, size.chars, CHAR),
    ]);
  });
}

// Each row's number of sessions, right of its name (outside the link, whose visible text is the name).
function rowCounts(model, size) {
  return model.rows.map((row, number) => svg("text", {
    class: "row-count", "data-project": row.slug, x: size.label - 10, y: size.grid + number * ROW + ROW / 2 + 5,
    "text-anchor": "end", text: row.sessions,
  }));
}

function dots(model, size) {
  const marks = [];
  model.rows.forEach((row, number) => {
    const y = size.grid + number * ROW + ROW / 2;
    const end = size.label + model.sessions.length * COLUMN;
    marks.push(svg("line", { class: "row-rule", x1: size.label, x2: end, y1: y, y2: y }));
    model.sessions.forEach((session, column) => {
      if (!session.projects.has(row.slug)) return;
      marks.push(svg("circle", {
        class: "mention", "data-project": row.slug, "data-session": session.slug,
        cx: size.label + column * COLUMN + COLUMN / 2, cy: y, r: 6,
      }, [tooltip(`${row.name} in “${session.title}”`)]));
    });
  });
  return marks;
}

function table(recap, model) {
  const rows = model.rows.map((row) => {
    const sessions = model.sessions.filter((session) => session.projects.has(row.slug));
    const list = html("ul", { class: "inline-list" }, sessions.map((session) => html("li", {}, [
      html("a", { href: sessionUrl(recap, session.slug), text: session.title }),
      document.createTextNode(` (${shortDate(session.date)})`),
    ])));
    const project = html("a", { href: projectUrl(recap, row.slug), text: row.name });
    return [project, row.sessions, sessions.length ? list : "none drawn"];
  });
  const headings = ["Project", "Sessions naming it", "Its sessions in the picture"];
  return numbersTable("Sessions naming each project", headings, rows);
}

function whichProjects({ least, rows, total }) {
  if (least === 1) {
    const idle = total - rows.length;
    if (!idle) return null;
    return `${plural(idle, "project")} of the recap's ${total} ${idle === 1 ? "comes" : "come"} up in no session, so no row.`;
  }
  const all = total.toLocaleString("en");
  if (rows.length === MAX_PROJECTS) return `The ${MAX_PROJECTS} projects named in the most sessions are drawn, of the recap's ${all}.`;
  return `The ${plural(rows.length, "project")} named in two or more sessions are drawn; ` +
    `the recap's other ${(total - rows.length).toLocaleString("en")} come up once or not at all.`;
}

function notes(model) {
  const { naming, sessions, sessionsTotal } = model;
  const drawn = `The first ${sessions.length} of the ${naming.toLocaleString("en")} sessions naming them are drawn`;
  const cut = sessions.length < naming ? `${drawn}, in recap order.` : null;
  const silent = sessionsTotal - naming;
  const which = model.rows.length === model.total ? "no project" : "none of them";
  const idle = silent > 0 ? `${plural(silent, "session")} ${silent === 1 ? "names" : "name"} ${which}, so no column.` : null;
  return leftOut([whichProjects(model), cut, idle]);
}

/** The projects × sessions picture for `model` (from counts.js), sized for `available` pixels. */
export function projectsBySessionPicture(recap, model, available) {
  const section = pictureSection(ID, HEADING,
    "Each row is a project with the number of sessions naming it, each column a session, day by day; " +
    "a dot marks a project the session names.");
  if (!model.rows.length || !model.sessions.length) {
    const many = `None of the recap's ${model.total.toLocaleString("en")} projects is named in more than one session.`;
    const few = "No session names any of the recap's projects.";
    section.append(nothingToDraw(model.total === 0 ? "This recap names no projects." : model.least === 1 ? few : many));
    return section;
  }
  const size = layout(model, available);
  const { bands, links } = days(recap, model, size);
  const description = `${plural(model.rows.length, "project")} by ${plural(model.sessions.length, "session")}; ` +
    "a dot where a session names a project. The table below lists the same sessions for each project.";
  section.append(...[
    notes(model),
    chart(ID, {
      heading: HEADING, description, width: size.width, height: size.height,
      marks: [...bands, ...rowCounts(model, size), ...dots(model, size)],
      links: [...columnTitles(recap, model, size), ...links, ...rowLabels(recap, model, size)],
    }),
    ...tableToggle(ID, table(recap, model)),
  ].filter(Boolean));
  return section;
}
