// "From the recap": where each fact of a session comes from, asked for when a reader opens it.
import { disclosure } from "./disclosure.js";
import { element, quoted } from "./elements.js";
import { graphql } from "./graphql.js";

const SOURCES = "query Sources($recap: String!, $slug: String!) { recap(slug: $recap) { session(slug: $slug) {" +
  " source { line quote url } summarySource { line quote url } notes { source { line quote url } }" +
  " missing { field reason } } } }";

function sourceItem(label, source) {
  // The words and line of the original, or the curator's own words.
  return element("li", {}, [
    element("a", { href: source.url, text: label + ", line " + source.line }),
    source.quote ? element("span", { class: "quote", text: ": " + quoted(source.quote) })
      : element("span", { class: "curator", text: ": in the curator's own words" }),
  ]);
}

function itemsOf(found) {
  const items = [sourceItem("Title", found.source)];
  if (found.summarySource) { items.push(sourceItem("Summary", found.summarySource)); }
  found.notes.forEach((note, number) => items.push(sourceItem("Note " + (number + 1), note.source)));
  found.missing.forEach((item) => {
    items.push(element("li", { class: "curator", text: "Not given: " + item.field + ". " + item.reason }));
  });
  return items;
}

export function sourcesOf(recapSlug, session) {
  const list = element("ul", { class: "sources", hidden: true, id: "sources-" + session.slug });
  const toggle = element("button", { class: "source-toggle", type: "button", "aria-expanded": "false",
    "aria-controls": list.id, text: "From the recap" });
  let state = "empty";
  function load() {
    if (state !== "empty") { return; }
    state = "loading";
    list.replaceChildren(element("li", { class: "muted", text: "Loading where it comes from…" }));
    graphql(SOURCES, { recap: recapSlug, slug: session.slug }).then((data) => {
      list.replaceChildren(...itemsOf(data.recap.session));
      state = "loaded";
    }).catch((problem) => {
      const retry = element("button", { type: "button", class: "retry", text: "Retry" });
      retry.addEventListener("click", () => { state = "empty"; load(); });
      list.replaceChildren(element("li", { class: "problem-inline" }, [
        element("span", { text: "Could not load where it comes from. " + problem.message + " " }), retry]));
      state = "empty";
    });
  }
  disclosure(toggle, list, load);
  return [toggle, list];
}
