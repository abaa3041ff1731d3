// Topics × days: a heat grid of how many sessions each day had on each topic, the count in each cell.
import { fittedText, html, svg, svgLink, tooltip } from "./elements.js";
import { chart, leftOut, nothingToDraw, numbersTable, pictureSection, tableToggle } from "./figure.js";
import { dayUrl, topicUrl } from "./links.js";
import { MAX_DAYS, MAX_TOPICS } from "./counts.js";
import { humanDate, plural, shortDate } from "./words.js";

const ID = "topics-by-day";
const HEADING = "Topics through the week";
const ROW = 28;
const HEADER = 42;
const CHAR = 7; // about the width of a 13 px character, to size the label column
const LEVELS = 5;

/**
 * The shade of a count: 0 for none, else 1 (the grid's quietest cell) to 5 (its busiest), so a grid
 * of tens uses the whole scale as one of ones and twos does. The number is written in the cell anyway.
 */
function level(count, least, most) {
  return count === 0 ? 0 : Math.ceil(((count - least + 1) * LEVELS) / (most - least + 1));
}

// Wide cells head their column "Wed 2 May" over its sessions; narrow ones (a phone) "Wed" over "2 May",
// and the totals column is left to the table.
const WIDE = 76;
const NARROWEST = 44;

function layout(model, available) {
  const longest = Math.max(...model.rows.map((row) => row.name.length));
  const need = Math.min(Math.max(longest * CHAR + 16, 96), 230);
  const days = model.days.length;
  // Wide enough for every column at its ease: the days, then all of them together.
  const wide = need + (days + 1) * WIDE <= available;
  // Else a phone's width: the days alone (the table keeps the totals), the names given what is left.
  const label = wide ? need : Math.max(96, Math.min(need, available - days * NARROWEST));
  const cell = wide ? Math.min(96, Math.floor((available - label) / (days + 1)))
    : Math.max(NARROWEST, Math.floor((available - label) / days));
  return {
    label, cell, wide, chars: Math.floor((label - 12) / CHAR),
    width: label + (days + (wide ? 1 : 0)) * cell, height: HEADER + model.rows.length * ROW,
  };
}

// One text of stacked lines, so that its words read in order as the link's visible text.
function stacked(x, lines) {
  return svg("text", { x, y: 18, "text-anchor": "middle" }, lines.map(([words, kind], line) => svg("tspan", {
    class: kind, x, dy: line ? 16 : 0, text: line ? ` ${words}` : words,
  })));
}

function headers(recap, model, size) {
  const middle = (column) => size.label + column * size.cell + size.cell / 2;
  const wide = size.wide;
  const links = model.days.map((day, column) => {
    const [weekday, ...date] = shortDate(day.date).split(" ");
    const sessions = plural(day.sessions, "session");
    const lines = wide ? [[shortDate(day.date), "day-label"], [sessions, "day-count"]]
      : [[weekday, "day-label"], [date.join(" "), "day-label"]];
    const name = `${shortDate(day.date)}, ${sessions} (${day.title}, ${day.date.slice(0, 4)})`;
    const box = { x: size.label + column * size.cell + 2, y: 2, width: size.cell - 4, height: HEADER - 6 };
    return svgLink(dayUrl(recap, day.date), name, box, [stacked(middle(column), lines)]);
  });
  return { links, total: wide ? stacked(middle(model.days.length), [["All days", "day-label"]]) : null };
}

function rowLabels(recap, model, size) {
  return model.rows.map((row, number) => {
    const y = HEADER + number * ROW;
    const text = fittedText({ class: "row-label", x: 8, y: y + ROW / 2 + 5 }, row.name, size.chars, CHAR);
    if (!row.slug) return svg("g", {}, [tooltip(row.name), text]);
    const name = `${row.name}, ${plural(row.total, "session")}`;
    const box = { x: 2, y: y + 2, width: size.label - 6, height: ROW - 4 };
    return svgLink(topicUrl(recap, row.slug), name, box, [text]);
  });
}

function cells(model, size) {
  const counted = model.rows.flatMap((row) => row.counts).filter((count) => count > 0);
  const least = Math.min(...counted);
  const most = Math.max(...counted);
  return model.rows.flatMap((row, number) => {
    const y = HEADER + number * ROW;
    const marks = row.counts.map((count, column) => {
      const x = size.label + column * size.cell;
      const shade = level(count, least, most);
      const day = model.days[column].date;
      return svg("g", { class: "cell", "data-topic": row.name, "data-day": day, "data-count": count }, [
        tooltip(`${row.name}, ${humanDate(day)}: ${plural(count, "session")}`),
        svg("rect", {
          class: `heat level-${shade}`, x: x + 2, y: y + 2, width: size.cell - 4, height: ROW - 4, rx: 3,
        }),
        count > 0 ? svg("text", {
          class: `heat-count level-${shade}`, x: x + size.cell / 2, y: y + ROW / 2 + 5, "text-anchor": "middle",
          text: count,
        }) : null,
      ]);
    });
    if (!size.wide) return marks;
    const x = size.label + model.days.length * size.cell + size.cell / 2;
    marks.push(svg("text", {
      class: "row-total", "data-topic": row.name, x, y: y + ROW / 2 + 5, "text-anchor": "middle", text: row.total,
    }));
    return marks;
  });
}

function table(recap, model) {
  const headings = ["Topic", ...model.days.map((day) => html("a", { href: dayUrl(recap, day.date) }, [
    html("time", { datetime: day.date, text: humanDate(day.date) }),
  ])), "All days"];
  const rows = model.rows.map((row) => [
    row.slug ? html("a", { href: topicUrl(recap, row.slug), text: row.name }) : row.name,
    ...row.counts,
    row.total,
  ]);
  return numbersTable("Sessions on each topic, day by day", headings, rows);
}

function notes(model) {
  const counted = model.rows.length + model.rowsLeftOut;
  const quiet = model.quiet === 1 ? "1 of the recap's topics has" : `${model.quiet} of the recap's topics have`;
  return leftOut([
    model.daysLeftOut ? `Only the first ${MAX_DAYS} days are drawn, of the recap's ${MAX_DAYS + model.daysLeftOut}.` : null,
    model.rowsLeftOut ? `The ${MAX_TOPICS} topics with the most sessions are drawn, of the ${counted} with any.` : null,
    model.quiet ? `${quiet} no session on these days, so no row.` : null,
    model.cut ? "On a day with more than 100 topics, only its 100 most frequent are counted." : null,
  ]);
}

/** The topics × days picture for `model` (from counts.js), sized for `available` pixels. */
export function topicsByDayPicture(recap, model, available) {
  const section = pictureSection(ID, HEADING,
    "Each row is a topic, each column a day; a cell counts that day's sessions on the topic " +
    "(a session on several topics counts under each, a session on none under none).");
  if (!model.recapTopics || !model.rows.length) {
    const why = model.recapTopics ? "No session on these days names a topic." : "This recap names no topics.";
    section.append(nothingToDraw(why));
    return section;
  }
  const size = layout(model, available);
  const { links, total } = headers(recap, model, size);
  const description = `${plural(model.rows.length, "topic")} over ${plural(model.days.length, "day")}; ` +
    "each cell holds its number of sessions, and the table below holds the same numbers.";
  section.append(...[
    notes(model),
    chart(ID, {
      heading: HEADING, description, width: size.width, height: size.height,
      marks: [total, ...cells(model, size)].filter(Boolean),
      links: [...links, ...rowLabels(recap, model, size)],
    }),
    ...tableToggle(ID, table(recap, model)),
  ].filter(Boolean));
  return section;
}
