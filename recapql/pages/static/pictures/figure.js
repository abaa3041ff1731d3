// The frame every picture shares: a heading, one line on how to read it, what was left out, the
// SVG in a box that scrolls sideways (the page itself never does), and the same numbers as a table.
import { html, svg } from "./elements.js";

/** A picture's section, with its heading and its one-line explanation. */
export function pictureSection(id, heading, explanation) {
  return html("section", { id, class: "picture", "aria-labelledby": `${id}-heading` }, [
    html("h2", { id: `${id}-heading`, text: heading }),
    html("p", { class: "explanation", text: explanation }),
  ]);
}

/** What a picture leaves out, one line each; nothing when it leaves out nothing. */
export function leftOut(lines) {
  const shown = lines.filter(Boolean);
  if (!shown.length) return null;
  return html("ul", { class: "left-out" }, shown.map((line) => html("li", { text: line })));
}

/** The line a picture shows instead of itself when the recap gives it nothing to draw. */
export function nothingToDraw(text) {
  return html("p", { class: "nothing-to-draw", text });
}

/**
 * An SVG picture in its scrolling box. `marks` (cells, dots) form one image, named by the title
 * and `description`; `links` stay outside it, so that each is a link assistive technology reaches.
 */
export function chart(id, { heading, description, width, height, marks, links }) {
  const root = svg("svg", {
    class: "chart",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    // A group of an image and links: as an image itself, its links would be hidden from assistive technology.
    role: "group",
    "aria-labelledby": `${id}-chart-title`,
  }, [
    svg("title", { id: `${id}-chart-title`, text: heading }),
    svg("g", { class: "marks", role: "img", "aria-labelledby": `${id}-chart-title ${id}-chart-desc` }, [
      svg("desc", { id: `${id}-chart-desc`, text: description }),
      ...marks,
    ]),
    svg("g", { class: "labels" }, links),
  ]);
  // Focusable, so that a keyboard can scroll it when it is wider than the screen.
  return html("div", { class: "scroller", role: "region", tabindex: "0", "aria-label": `${heading}, the picture` }, [root]);
}

/** The table behind a "Show as table" button: the picture's numbers as rows and columns. */
export function tableToggle(id, table) {
  const box = html("div", { id: `${id}-table`, class: "table-box", hidden: true }, [table]);
  const button = html("button", {
    type: "button",
    class: "table-toggle",
    "aria-expanded": "false",
    "aria-controls": box.id,
    text: "Show as table",
  });
  button.addEventListener("click", () => {
    const show = box.hidden;
    box.hidden = !show;
    button.setAttribute("aria-expanded", String(show));
    button.textContent = show ? "Hide the table" : "Show as table";
  });
  return [button, box];
}

/** A table with a caption, one header row, and rows of cells (each an element or text). */
export function numbersTable(caption, headings, rows) {
  const cell = (tag, content, attributes) => html(tag, attributes, [
    typeof content === "string" || typeof content === "number" ? document.createTextNode(String(content)) : content,
  ]);
  return html("table", { class: "numbers" }, [
    html("caption", { text: caption }),
    html("thead", {}, [html("tr", {}, headings.map((heading) => cell("th", heading, { scope: "col" })))]),
    html("tbody", {}, rows.map(([first, ...rest]) => html("tr", {}, [
      cell("th", first, { scope: "row" }),
      ...rest.map((content) => cell("td", content)),
    ]))),
  ]);
}
