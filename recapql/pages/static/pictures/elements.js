// Building the page's HTML and SVG with DOM calls: text goes in as text, never as markup.
import { clip } from "./words.js";

const SVG_NS = "http://www.w3.org/2000/svg";

function build(node, attributes, children) {
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = String(value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children || []) {
    if (child) node.append(child);
  }
  return node;
}

/** An HTML element: `text` sets its text; other attributes are set as given (true: present, null: absent). */
export function html(tag, attributes, children) {
  return build(document.createElement(tag), attributes, children);
}

/** An SVG element, as `html` builds HTML ones. */
export function svg(tag, attributes, children) {
  return build(document.createElementNS(SVG_NS, tag), attributes, children);
}

/** An SVG tooltip: the browser shows it on hover, and it names its parent for assistive technology. */
export function tooltip(text) {
  return svg("title", { text });
}

/**
 * An SVG text of `text` clipped to `chars` characters of `charWidth` pixels; a word too long to
 * clip is squeezed into that width instead of running over the next column.
 */
export function fittedText(attributes, text, chars, charWidth) {
  const shown = clip(text, chars);
  const squeeze = shown.length > chars ? { textLength: Math.floor(chars * charWidth), lengthAdjust: "spacingAndGlyphs" } : {};
  return svg("text", { ...attributes, ...squeeze, text: shown });
}

/**
 * A link inside an SVG: focusable like any link, with a ring drawn around `box` (x, y, width, height)
 * when it has the keyboard's focus, since outlines are not drawn reliably around SVG shapes.
 */
export function svgLink(href, label, box, children) {
  const ring = svg("rect", { class: "focus-ring", x: box.x, y: box.y, width: box.width, height: box.height, rx: 3 });
  return svg("a", { href, "aria-label": label, class: "chart-link" }, [tooltip(label), ring, ...children]);
}
