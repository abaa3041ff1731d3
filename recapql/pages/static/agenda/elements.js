// Building the page from elements and text nodes: no string of ours or the API's ever reaches innerHTML.

export function byId(id) {
  return document.getElementById(id);
}

// `attributes.text` becomes the text; `true` a boolean attribute; null, undefined and false are left out.
export function element(tag, attributes, children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (value === null || value === undefined || value === false) { return; }
    if (name === "text") { node.textContent = value; } else { node.setAttribute(name, value === true ? "" : value); }
  });
  (children || []).forEach((child) => { if (child) { node.append(child); } });
  return node;
}

export function link(href, text, attributes) {
  return element("a", { ...attributes, href, text });
}

export function clear(node) {
  node.textContent = "";
  return node;
}

export function show(node, visible) {
  if (visible) { node.removeAttribute("hidden"); } else { node.setAttribute("hidden", ""); }
}

// The API's highlights count code points (Python string indexes); JavaScript strings count UTF-16
// units, which differ after an emoji. Array.from splits a string into code points.
export function marked(text, highlights) {
  const points = Array.from(text);
  const fragment = document.createDocumentFragment();
  let at = 0;
  highlights.forEach(({ start, end }) => {
    if (start < at || end <= start) { return; }
    if (start > at) { fragment.append(points.slice(at, start).join("")); }
    fragment.append(element("mark", { text: points.slice(start, end).join("") }));
    at = end;
  });
  if (at < points.length) { fragment.append(points.slice(at).join("")); }
  return fragment;
}

export function words(kind) {
  return kind.replace(/_/g, " ").toLowerCase();
}

export function quoted(text) {
  return "\u201c" + text + "\u201d";
}
